"""The Korean blog post's implementation, kept as published (only formatted), so the book and the
benchmarks can run it beside ours. Do not fix it here: its ``MobileNetV1`` fails for any
``alpha != 1`` (the five 512-channel blocks ignore alpha), which chapter 6 demonstrates."""

import torch
from torch import nn


class DepSepConv(nn.Module):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.depthwise = nn.Sequential(
            nn.Conv2d(
                in_channels, in_channels, 3, stride, padding=1, bias=False, groups=in_channels
            ),
            nn.BatchNorm2d(in_channels),
            nn.ReLU(),
        )
        self.pointwise = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(),
        )

    def forward(self, x):
        x = self.depthwise(x)
        x = self.pointwise(x)
        return x


class MobileNetV1(nn.Module):
    def __init__(self, alpha, n_classes=1000):
        super().__init__()
        self.conv1 = nn.Sequential(
            nn.Conv2d(3, int(32 * alpha), 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(int(32 * alpha)),
            nn.ReLU(inplace=True),
        )
        self.dsconv1 = DepSepConv(int(32 * alpha), int(64 * alpha))
        self.dsconv2 = nn.Sequential(
            DepSepConv(int(64 * alpha), int(128 * alpha), stride=2),
            DepSepConv(int(128 * alpha), int(128 * alpha)),
        )
        self.dsconv3 = nn.Sequential(
            DepSepConv(int(128 * alpha), int(256 * alpha), stride=2),
            DepSepConv(int(256 * alpha), int(256 * alpha)),
        )
        self.dsconv4 = nn.Sequential(
            DepSepConv(int(256 * alpha), int(512 * alpha), stride=2),
            *[DepSepConv(512, 512) for _ in range(5)],
        )
        self.dsconv5 = nn.Sequential(
            DepSepConv(int(512 * alpha), int(1024 * alpha), stride=2),
            DepSepConv(int(1024 * alpha), int(1024 * alpha)),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(int(1024 * alpha), n_classes)

    def forward(self, x):
        x = self.conv1(x)
        x = self.dsconv1(x)
        x = self.dsconv2(x)
        x = self.dsconv3(x)
        x = self.dsconv4(x)
        x = self.dsconv5(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)
        return x
