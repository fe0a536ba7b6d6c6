"""An offline HTML player over PNG frames, with a still for print and for reduced motion.

matplotlib's ``Animation.to_jshtml`` links Font Awesome from a CDN, writes random element ids on
every run and has no alt text, so the book uses this small player instead:

- everything is inline (base64 PNGs, SVG shapes and icons: see :mod:`.frames`; no URL at
  all), so it works in the offline HTML book, in Jupyter, Colab and VS Code, and in
  nbconvert's HTML export;
- no element ids: the script initialises the player it belongs to (``document.currentScript``,
  else every player not yet started), so the same frames give the same bytes on every run;
- the **still** (the last frame, everything computed) is shown without JavaScript, when the
  reader asks for reduced motion (``prefers-reduced-motion: reduce``) and when printing; the
  player never starts by itself (a reader presses play), and both images carry the alt text.
"""

from __future__ import annotations

import base64
import html
import json

from ..i18n import tr
from .frames import Encoded

_CSS = """\
.mnl-anim{margin:.5em 0 1em;max-width:100%}
.mnl-anim img{max-width:100%;height:auto;display:block}
.mnl-stage{position:relative;display:inline-block;max-width:100%}
.mnl-stage .mnl-layer,.mnl-stage svg{position:absolute;left:0;top:0;width:100%;height:100%}
.mnl-anim.mnl-live .mnl-still{display:none}
.mnl-anim-bar{display:flex;flex-wrap:wrap;align-items:center;gap:.3em;margin-top:.3em}
.mnl-anim-bar button{display:inline-flex;align-items:center;justify-content:center;\
min-width:2.2em;min-height:2.2em;padding:0;border:1px solid #888;border-radius:4px;\
background:transparent;color:inherit;cursor:pointer}
.mnl-anim-bar button:focus-visible,.mnl-anim-bar input:focus-visible{outline:2px solid #1f6feb}
.mnl-anim-bar svg{width:1em;height:1em;fill:currentColor}
.mnl-anim-bar input{flex:1 1 8em;min-width:6em}
.mnl-anim-bar output{font:inherit;font-size:.9em;min-width:4.5em;text-align:right}
@media (prefers-reduced-motion:reduce){.mnl-anim .mnl-player{display:none!important}\
.mnl-anim .mnl-still{display:block!important}}
@media print{.mnl-anim .mnl-player{display:none!important}\
.mnl-anim .mnl-still{display:block!important}}"""

# Inline SVG icons (16×16 viewBox): no icon font, no network.
_ICONS = {
    "first": "M3 2h2v12H3zM14 2v12L6 8z",
    "back": "M12 2v12L4 8z",
    "play": "M4 2v12l10-6z",
    "pause": "M4 2h3v12H4zM9 2h3v12H9z",
    "forward": "M4 2v12l8-6z",
    "last": "M11 2h2v12h-2zM2 2v12l8-6z",
}

_SCRIPT = """\
(function(){
var me=document.currentScript,p=me&&me.parentNode;
var roots=p&&p.classList&&p.classList.contains('mnl-anim')?[p]:
document.querySelectorAll('.mnl-anim:not([data-ready])');
Array.prototype.forEach.call(roots,function(root){
if(root.getAttribute('data-ready'))return;root.setAttribute('data-ready','1');
var data=JSON.parse(root.querySelector('.mnl-frames').textContent),n=data.shapes.length;
var player=root.querySelector('.mnl-player'),stage=player.querySelector('.mnl-stage');
var svg=stage.querySelector('svg'),bg=stage.querySelector('img');
var layers=data.changes.map(function(b){var im=document.createElement('img');
im.src='data:image/png;base64,'+b;im.alt='';im.className='mnl-layer';
im.width=bg.width;im.height=bg.height;stage.insertBefore(im,svg);return im;});
var range=player.querySelector('input'),out=player.querySelector('output');
var play=player.querySelector('[data-act=play]'),icons=JSON.parse(play.getAttribute('data-icons'));
var labels=JSON.parse(play.getAttribute('data-labels'));
var ms=+root.getAttribute('data-interval'),i=0,timer=null;
function show(k){i=Math.max(0,Math.min(n-1,k));
layers.forEach(function(im,j){im.style.visibility=j<=i?'visible':'hidden';});
svg.innerHTML=data.shapes[i];range.value=i;out.textContent=(i+1)+' / '+n;}
function setPlaying(on){if(timer){clearInterval(timer);timer=null;}
if(on){if(i>=n-1)show(0);timer=setInterval(function(){
if(i>=n-1){setPlaying(false);}else{show(i+1);}},ms);}
play.querySelector('path').setAttribute('d',icons[on?1:0]);
play.setAttribute('aria-label',labels[on?1:0]);play.title=labels[on?1:0];}
var acts={first:function(){show(0);},back:function(){show(i-1);},
forward:function(){show(i+1);},last:function(){show(n-1);}};
Array.prototype.forEach.call(player.querySelectorAll('button'),function(b){
b.addEventListener('click',function(){var a=b.getAttribute('data-act');
if(a==='play'){setPlaying(!timer);}else{setPlaying(false);acts[a]();}});});
range.addEventListener('input',function(){setPlaying(false);show(+range.value);});
show(0);player.hidden=false;root.classList.add('mnl-live');});
})();"""


def _icon(name: str) -> str:
    return f'<svg viewBox="0 0 16 16" aria-hidden="true"><path d="{_ICONS[name]}"/></svg>'


def _button(action: str, icon: str, label: str, extra: str = "") -> str:
    label = html.escape(label, quote=True)
    return (
        f'<button type="button" data-act="{action}" aria-label="{label}" title="{label}"{extra}>'
        f"{_icon(icon)}</button>"
    )


def _controls(n_frames: int) -> str:
    play_labels = html.escape(json.dumps([tr("Play"), tr("Pause")]), quote=True)
    play_icons = html.escape(json.dumps([_ICONS["play"], _ICONS["pause"]]), quote=True)
    buttons = [
        _button("first", "first", tr("First step")),
        _button("back", "back", tr("Previous step")),
        _button(
            "play",
            "play",
            tr("Play"),
            f' data-icons="{play_icons}" data-labels="{play_labels}"',
        ),
        _button("forward", "forward", tr("Next step")),
        _button("last", "last", tr("Last step")),
    ]
    step = html.escape(tr("Step"), quote=True)
    return (
        '<div class="mnl-anim-bar">'
        + "".join(buttons)
        + f'<input type="range" min="0" max="{n_frames - 1}" value="0" aria-label="{step}">'
        + f"<output>1 / {n_frames}</output></div>"
    )


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


def player_html(encoded: Encoded, alt: str, interval_ms: int, label: str) -> str:
    """The HTML of a player over ``encoded``'s frames, its still shown when the player is not.

    ``alt`` describes the animation (the images' alt text), ``label`` names the player (its
    group's ``aria-label``). The same arguments give the same string.
    """
    alt_attr = html.escape(alt, quote=True)
    label_attr = html.escape(label, quote=True)
    width, height = encoded.size
    dims = f'width="{width}" height="{height}"'
    data = json.dumps({"changes": [_b64(png) for png in encoded.changes], "shapes": encoded.shapes})
    return (
        f'<div class="mnl-anim" role="group" aria-label="{label_attr}" '
        f'data-interval="{int(interval_ms)}" style="width:{width}px"><style>{_CSS}</style>'
        f'<img class="mnl-still" src="data:image/png;base64,{_b64(encoded.still)}" '
        f'alt="{alt_attr}" {dims}>'
        f'<div class="mnl-player" hidden><div class="mnl-stage">'
        f'<img src="data:image/png;base64,{_b64(encoded.background)}" alt="{alt_attr}" {dims}>'
        f'<svg viewBox="0 0 {width} {height}" preserveAspectRatio="none" fill="none" '
        f'stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"></svg></div>'
        f"{_controls(len(encoded.shapes))}</div>"
        f'<script type="application/json" class="mnl-frames">{data}</script>'
        f"<script>{_SCRIPT}</script></div>"
    )
