"""Value classes: the package's one way to declare them.

A subclass of :class:`Record` lists its fields as class annotations, as a dataclass does,
and gets ``__slots__``, ``__init__``, ``__eq__``, ``__hash__``, ``__repr__`` and
``__match_args__`` when the class is created::

    class Problem(Record, frozen=True):
        path: str
        line: int
        notes: list[str] = field(default_factory=list)

Why not ``dataclasses``: every commit of a blueprint starts a Python process for its hooks,
so what that process imports is paid on every commit, and ``dataclasses`` costs about 12 ms
to import (it imports ``inspect``, which imports ``ast``, ``dis`` and ``tokenize``). This
module imports nothing at all at run time; each class's ``__init__`` and comparison
methods are compiled once, with ``exec``, so that building a record costs what a
hand-written ``__init__`` costs (the scanner builds tens of thousands per ``bp list``).

The rules, the dataclass ones where they overlap:

- Annotations are read as written (``from __future__ import annotations``: strings);
  ``ClassVar[...]`` ones are not fields. Fields are ordered as declared, a base class's
  first; one without a default may not follow one with a default.
- ``field(default=..., default_factory=..., init=...)`` for a mutable default (a ``list``,
  ``dict`` or ``set`` as a plain default is refused) or a field ``__init__`` does not take;
  ``__post_init__``, when the class has one, runs at the end of ``__init__``.
- Equality: same class and equal fields. Records hash their fields, frozen or not (as the
  hand-written value classes always did), so a record is hashable when its values are. A
  class body that defines ``__init__``, ``__eq__``, ``__hash__`` or ``__repr__`` keeps its
  own; one that defines ``__eq__`` alone gets no ``__hash__``, as Python would have it.
- ``frozen=True`` is for the type checker: mypy rejects assignments to the fields. Nothing
  stops one at run time (a ``__setattr__`` guard would slow construction); treat every
  record as immutable unless its class says otherwise.
- No ordering: nothing sorts records.
- A class body that defines ``__slots__`` itself keeps the older idiom: nothing is
  generated, it writes its own ``__init__``, and equality, hashing and the repr come from
  its slots (the modules not yet converted).

Standard library only, and nothing beyond the interpreter's own start-up modules.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, TypeVar, overload

    from typing_extensions import dataclass_transform

    _T = TypeVar("_T")
    _R = TypeVar("_R", bound="Record")
else:

    def dataclass_transform(**_options):
        return lambda cls: cls


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Field:
    """What :func:`field` returns: a field's default, default factory and whether
    ``__init__`` takes it."""

    __slots__ = ("default", "default_factory", "init")

    def __init__(self, default: Any, default_factory: Any, init: bool) -> None:
        self.default = default
        self.default_factory = default_factory
        self.init = init

    def __repr__(self) -> str:
        return (
            f"field(default={self.default!r}, default_factory={self.default_factory!r}, "
            f"init={self.init!r})"
        )


def _field(*, default: Any = MISSING, default_factory: Any = MISSING, init: bool = True) -> Any:
    if default is not MISSING and default_factory is not MISSING:
        raise TypeError("field() takes a default or a default_factory, not both")
    return Field(default, default_factory, init)


if TYPE_CHECKING:
    # What the type checker sees: the field's type is the default's or the factory's.
    @overload
    def field(*, default: _T, init: bool = True) -> _T: ...
    @overload
    def field(*, default_factory: Callable[[], _T], init: bool = True) -> _T: ...
    @overload
    def field(*, init: bool = True) -> Any: ...
    def field(*, default: Any = MISSING, default_factory: Any = MISSING, init: bool = True) -> Any:
        return _field(default=default, default_factory=default_factory, init=init)
else:
    field = _field
    field.__name__ = field.__qualname__ = "field"
    field.__doc__ = "A field's declaration, where a plain default will not do."


def _is_class_var(annotation: object) -> bool:
    if isinstance(annotation, str):
        written = annotation.replace(" ", "")
        return written == "ClassVar" or written.startswith(
            ("ClassVar[", "typing.ClassVar", "t.ClassVar")
        )
    return repr(annotation).startswith("typing.ClassVar")


def _annotations(ns: dict[str, Any]) -> dict[str, Any]:
    annotations = ns.get("__annotations__")
    if annotations is None and "__annotate__" in ns:
        # Python 3.14 without the __future__ import: evaluated annotations (format VALUE).
        annotations = ns["__annotate__"](1)
    return dict(annotations or {})


def _methods(name: str, specs: dict[str, Field], post_init: bool) -> tuple[str, dict[str, Any]]:
    """The source of the class's generated methods, and the globals it runs with."""
    env: dict[str, Any] = {"_rec_missing": MISSING}
    params = ["self"]
    body = []
    for fname, spec in specs.items():
        if spec.default is not MISSING:
            env[f"_rec_d_{fname}"] = spec.default
        if spec.default_factory is not MISSING:
            env[f"_rec_f_{fname}"] = spec.default_factory
        if spec.init:
            if spec.default_factory is not MISSING:
                params.append(f"{fname}=_rec_missing")
                body.append(
                    f"self.{fname} = _rec_f_{fname}() if {fname} is _rec_missing else {fname}"
                )
            else:
                params.append(fname if spec.default is MISSING else f"{fname}=_rec_d_{fname}")
                body.append(f"self.{fname} = {fname}")
        elif spec.default_factory is not MISSING:
            body.append(f"self.{fname} = _rec_f_{fname}()")
        elif spec.default is not MISSING:
            body.append(f"self.{fname} = _rec_d_{fname}")
    if post_init:
        body.append("self.__post_init__()")
    mine = "".join(f"self.{f}, " for f in specs)
    theirs = "".join(f"other.{f}, " for f in specs)
    shown = ", ".join(f"{f}={{self.{f}!r}}" for f in specs)
    source = (
        f"def __init__({', '.join(params)}):\n"
        + "".join(f"    {line}\n" for line in body or ["pass"])
        + "def __eq__(self, other):\n"
        "    if other.__class__ is not self.__class__:\n"
        "        return NotImplemented\n"
        f"    return ({mine}) == ({theirs})\n"
        "def __hash__(self):\n"
        f"    return hash(({mine}))\n"
        "def __repr__(self):\n"
        f'    return f"{{self.__class__.__name__}}({shown})"\n'
    )
    return source, env


@dataclass_transform(field_specifiers=(field, Field))
class _RecordType(type):
    """Makes a :class:`Record` subclass from its annotations (see the module's notes)."""

    def __new__(
        mcls,
        name: str,
        bases: tuple[type, ...],
        ns: dict[str, Any],
        frozen: bool = False,
    ) -> _RecordType:
        if "__slots__" in ns:
            return super().__new__(mcls, name, bases, ns)
        specs: dict[str, Field] = {}
        for base in reversed(bases):
            specs.update(getattr(base, "_record_fields", {}))
        own = []
        for fname, annotation in _annotations(ns).items():
            if _is_class_var(annotation):
                continue
            if not fname.isidentifier():
                raise TypeError(f"{name}: {fname!r} is not a name a field can have")
            value = ns.pop(fname, MISSING)
            if isinstance(value, Field):
                spec = value
            elif value.__class__ in (list, dict, set):
                raise TypeError(
                    f"{name}.{fname}: a mutable default is shared by every instance;"
                    " use field(default_factory=...)"
                )
            else:
                spec = Field(value, MISSING, True)
            if fname not in specs:
                own.append(fname)
            specs[fname] = spec
        after_default = None
        for fname, spec in specs.items():
            if not spec.init:
                continue
            if spec.default is not MISSING or spec.default_factory is not MISSING:
                after_default = after_default or fname
            elif after_default is not None:
                raise TypeError(
                    f"{name}: field {fname!r} has no default but follows {after_default!r},"
                    " which has one"
                )
        post_init = "__post_init__" in ns or any(hasattr(b, "__post_init__") for b in bases)
        source, env = _methods(name, specs, post_init)
        generated: dict[str, Any] = {}
        exec(source, env, generated)  # the source is built above, from field names only
        skip = {"__hash__"} if "__eq__" in ns and "__hash__" not in ns else set()
        for method, function in generated.items():
            if method not in ns and method not in skip:
                function.__qualname__ = f"{ns.get('__qualname__', name)}.{method}"
                ns[method] = function
        ns["__slots__"] = tuple(own)
        ns["_record_fields"] = specs
        ns.setdefault("__match_args__", tuple(f for f, s in specs.items() if s.init))
        return super().__new__(mcls, name, bases, ns)


class Record(metaclass=_RecordType):
    """A value. Subclasses declare their fields as annotations (see the module's notes).
    For a subclass that writes its own ``__slots__`` and ``__init__``: equal to another of
    the same class with equal slots, hashable when its values are, shown as
    ``Name(field=value, …)``."""

    __slots__: ClassVar[tuple[str, ...]] = ()
    # The generated classes' fields, a base class's first (ClassVar: not an instance slot).
    _record_fields: ClassVar[dict[str, Field]] = {}

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"


def replace(obj: _R, /, **changes: Any) -> _R:
    """A copy of the record ``obj`` with the given fields changed, made through its
    ``__init__`` (so ``__post_init__`` runs again, and fields it does not take are made
    afresh), as ``dataclasses.replace`` does."""
    fields = type(obj)._record_fields
    if not fields:
        raise TypeError(f"replace() needs a record with declared fields, not {type(obj).__name__}")
    for fname, spec in fields.items():
        if not spec.init:
            if fname in changes:
                raise ValueError(f"{fname!r} is not a field {type(obj).__name__}() takes")
        elif fname not in changes:
            changes[fname] = getattr(obj, fname)
    return type(obj)(**changes)
