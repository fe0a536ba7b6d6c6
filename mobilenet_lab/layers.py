"""The building blocks: standard, depthwise, pointwise and depthwise separable convolutions.

Every block is ``Conv2d -> BatchNorm2d -> activation`` (an ``nn.Sequential`` indexed 0, 1, 2, so
its state-dict keys match the blog post's ``DepSepConv``). Convolutions carry no bias: the
BatchNorm that follows has its own shift.
"""

from __future__ import annotations

from torch import Tensor, nn

from ._validation import check_choice, check_positive_int

ACTIVATIONS = ("relu", "relu6")
STRIDES = (1, 2)


def make_activation(activation: str) -> nn.Module:
    """Return the activation module named ``"relu"`` or ``"relu6"``."""
    check_choice("activation", activation, ACTIVATIONS)
    return nn.ReLU(inplace=True) if activation == "relu" else nn.ReLU6(inplace=True)


def _check_stride(stride: object) -> int:
    if isinstance(stride, bool) or stride not in STRIDES:
        raise ValueError(f"stride must be 1 or 2, got {stride!r}")
    return int(stride)  # type: ignore[arg-type]


class ConvBNAct(nn.Sequential):
    """``Conv2d(bias=False) -> BatchNorm2d -> ReLU/ReLU6`` with 'same' padding for odd kernels."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        *,
        groups: int = 1,
        activation: str = "relu",
    ) -> None:
        in_channels = check_positive_int("in_channels", in_channels)
        out_channels = check_positive_int("out_channels", out_channels)
        kernel_size = check_positive_int("kernel_size", kernel_size)
        stride = _check_stride(stride)
        groups = check_positive_int("groups", groups)
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"groups={groups} must divide in_channels={in_channels} and out_channels={out_channels}"
            )
        super().__init__(
            nn.Conv2d(
                in_channels,
                out_channels,
                kernel_size,
                stride=stride,
                padding=kernel_size // 2,
                groups=groups,
                bias=False,
            ),
            nn.BatchNorm2d(out_channels),
            make_activation(activation),
        )

    @property
    def conv(self) -> nn.Conv2d:
        """The convolution (``self[0]``)."""
        return self[0]

    @property
    def bn(self) -> nn.BatchNorm2d:
        """The BatchNorm (``self[1]``)."""
        return self[1]

    def forward(self, x: Tensor) -> Tensor:  # noqa: D102 - documented on the class
        check_input(x, self.conv.in_channels, type(self).__name__)
        return super().forward(x)


class StandardConv(ConvBNAct):
    """A standard D_K×D_K convolution block: every filter spans all input channels."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int = 3,
        stride: int = 1,
        *,
        activation: str = "relu",
    ) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, activation=activation)


class DepthwiseConv(ConvBNAct):
    """A depthwise D_K×D_K convolution block: ``groups=channels``, one filter per channel."""

    def __init__(
        self, channels: int, kernel_size: int = 3, stride: int = 1, *, activation: str = "relu"
    ) -> None:
        channels = check_positive_int("channels", channels)
        super().__init__(
            channels, channels, kernel_size, stride, groups=channels, activation=activation
        )


class PointwiseConv(ConvBNAct):
    """A pointwise ``1×1`` convolution block: mixes channels, pixel by pixel."""

    def __init__(self, in_channels: int, out_channels: int, *, activation: str = "relu") -> None:
        super().__init__(in_channels, out_channels, 1, 1, activation=activation)


class DepthwiseSeparableConv(nn.Module):
    """Depthwise D_K×D_K (carries the stride) then pointwise ``1×1``, each with BN and activation."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        stride: int = 1,
        *,
        kernel_size: int = 3,
        activation: str = "relu",
    ) -> None:
        super().__init__()
        check_positive_int("in_channels", in_channels)
        check_positive_int("out_channels", out_channels)
        self.depthwise = DepthwiseConv(in_channels, kernel_size, stride, activation=activation)
        self.pointwise = PointwiseConv(in_channels, out_channels, activation=activation)

    @property
    def in_channels(self) -> int:
        return self.depthwise.conv.in_channels

    @property
    def out_channels(self) -> int:
        return self.pointwise.conv.out_channels

    def forward(self, x: Tensor) -> Tensor:
        return self.pointwise(self.depthwise(x))


#: The blog post's name for the same block, so its code reads the same.
DepSepConv = DepthwiseSeparableConv


def check_input(x: object, channels: int, where: str) -> None:
    """Raise a clear error unless ``x`` is a 4-D tensor ``(N, channels, H, W)``."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{where} expects a torch.Tensor of shape (B, C, H, W), got {type(x).__name__}"
        )
    if x.dim() != 4:
        raise ValueError(
            f"{where} expects a 4-D input (B, C, H, W), got {x.dim()}-D input of shape {tuple(x.shape)}"
        )
    if x.shape[1] != channels:
        raise ValueError(
            f"{where} expects {channels} input channels, got {x.shape[1]} (input shape {tuple(x.shape)})"
        )
