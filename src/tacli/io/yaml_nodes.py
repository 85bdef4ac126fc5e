"""One-call constructors for ruamel.yaml's node classes, taken only when they
do exactly what ruamel.yaml's own do.

The C composer makes a file's 700 nodes by calling ScalarNode, SequenceNode
and MappingNode, whose constructors call their base class's: two or three
Python calls a node, about a tenth of reading a file. The constructors here
set the same slots to the same values in one call. They replace the classes'
own once, for the whole process: the classes stay ruamel.yaml's, so every
loader (its own as well as tacli's, in any thread) sees the same kinds.

Before they are taken, each is held to the one it replaces: the same
parameters with the same defaults, a class whose every attribute is a slot,
and nodes built from the same arguments whose every slot comes out the same.
A ruamel.yaml whose constructors do anything else (another parameter,
another slot, another default, a tag made differently) keeps its own.
"""

from __future__ import annotations

import inspect
import threading

STOCK: dict = {}  # each class whose constructor was replaced, with ruamel.yaml's own
_DECIDED: list = []  # whether the quick constructors were taken, once decided
_LOCK = threading.Lock()  # tacli serve reads files in threads: one of them decides
_QUICK = "_tacli_one_call"  # marks the constructors put in place here


def quicker_constructors() -> bool:
    """Put the one-call constructors in place if they match; whether they are in place."""
    with _LOCK:
        if not _DECIDED:
            _DECIDED.append(_take_quicker_constructors())
        return _DECIDED[0]


def _take_quicker_constructors() -> bool:
    try:
        from ruamel.yaml import nodes
        from ruamel.yaml.tag import Tag
    except ImportError:  # pragma: no cover - ruamel.yaml is a dependency
        return False

    def scalar(self, tag, value, start_mark=None, end_mark=None, style=None, comment=None, anchor=None):
        self.ctag = tag if isinstance(tag, Tag) else Tag(suffix=tag)
        self.value, self.start_mark, self.end_mark = value, start_mark, end_mark
        self.comment, self.anchor, self.style = comment, anchor, style

    def sequence(self, tag, value, start_mark=None, end_mark=None, flow_style=None, comment=None, anchor=None):
        self.ctag = tag if isinstance(tag, Tag) else Tag(suffix=tag)
        self.value, self.start_mark, self.end_mark = value, start_mark, end_mark
        self.comment, self.flow_style, self.anchor = comment, flow_style, anchor

    def mapping(self, tag, value, start_mark=None, end_mark=None, flow_style=None, comment=None, anchor=None):
        sequence(self, tag, value, start_mark, end_mark, flow_style, comment, anchor)
        self.merge = None

    replacements = {nodes.ScalarNode: scalar, nodes.SequenceNode: sequence, nodes.MappingNode: mapping}
    if any(getattr(cls.__init__, _QUICK, False) for cls in replacements):  # replaced by this module loaded before (a reload)
        return False
    if not all(_same(cls, quick, Tag) for cls, quick in replacements.items()):
        return False
    for cls, quick in replacements.items():
        STOCK[cls] = cls.__init__
        quick.__qualname__ = f"{cls.__qualname__}.__init__"
        setattr(quick, _QUICK, True)
        cls.__init__ = quick
    return True


def _same(cls, quick, tag_class) -> bool:
    """Whether `quick` takes the parameters cls's own constructor takes, and
    sets every attribute of a `cls` node (all slots) as that one does."""
    if _parameters(cls.__init__) != _parameters(quick):
        return False
    if any("__slots__" not in vars(klass) for klass in cls.__mro__ if klass is not object):
        return False  # an attribute that is not a slot would go unseen below
    slots = [slot for klass in cls.__mro__ for slot in getattr(klass, "__slots__", ())]
    tag = tag_class(suffix="tag:yaml.org,2002:str")
    calls = [
        ((tag, "v"), {}),
        ((tag, "v", "start", "end", "style"), {}),
        ((tag, "v", "start", "end", "style", "comment", "anchor"), {}),
        ((tag, "v"), {"comment": "comment", "anchor": "anchor"}),
        (("!local", "v", "start", "end"), {}),
        ((None, "v"), {}),
    ]
    for args, kwargs in calls:
        made = []
        for constructor in (cls.__init__, quick):
            node = cls.__new__(cls)
            try:
                constructor(node, *args, **kwargs)
            except Exception:  # noqa: BLE001 - a constructor that refuses these is not the one these were made for
                return False
            made.append([_slot(node, slot) for slot in slots])
        if made[0] != made[1]:
            return False
    return True


def _parameters(function) -> list:
    try:
        return [(p.name, p.kind, p.default) for p in inspect.signature(function).parameters.values()]
    except (TypeError, ValueError):  # pragma: no cover - a constructor written in C
        return []


def _slot(node, slot: str):
    value = getattr(node, slot, _UNSET)
    return (type(value), str(value)) if type(value).__name__ == "Tag" else value


_UNSET = object()
