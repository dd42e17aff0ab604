"""Value classes: the package's one way to declare them.

A subclass of :class:`Record` lists its fields as class annotations, as a dataclass does,
and gets ``__slots__``, ``__init__`` and ``__match_args__`` when the class is created,
and equality, hashing and a repr over its fields::

    class Problem(Record, frozen=True):
        path: str
        line: int
        notes: list[str] = field(default_factory=list)

Why not ``dataclasses``: every commit of a blueprint starts a Python process for its hooks,
so what that process imports is paid on every commit, and ``dataclasses`` costs about 12 ms
to import (it imports ``inspect``, which imports ``ast``, ``dis`` and ``tokenize``), and
it compiles each class's methods at import, about 0.2 ms a class. This module imports
nothing at run time. A record's ``__init__`` is the bytecode a hand-written one would be
(the scanner builds tens of thousands of records per ``bp list``): it is compiled, with
``exec``, once per shape of class (how many fields, which with a factory) and renamed
for each class, which costs a few microseconds. Equality, hashing and the repr are shared
methods that go through the fields' names, as they always went through the slots.

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


_Function: Any = type(_field)  # types.FunctionType, without importing types


# The __init__ of a class whose fields are all parameters without a factory, for up to
# eight fields: written here, they come compiled in this module's .pyc. A class gets one
# renamed (the placeholders _rec_a<i> become its field names), in a few microseconds;
# compiling one would cost about 0.1 ms on every commit's hook, for each class.
def _init_p(self: Any, _rec_a0: object) -> None:
    self._rec_a0 = _rec_a0


def _init_pp(self: Any, _rec_a0: object, _rec_a1: object) -> None:
    self._rec_a0 = _rec_a0
    self._rec_a1 = _rec_a1


def _init_ppp(self: Any, _rec_a0: object, _rec_a1: object, _rec_a2: object) -> None:
    self._rec_a0 = _rec_a0
    self._rec_a1 = _rec_a1
    self._rec_a2 = _rec_a2


def _init_pppp(
    self: Any, _rec_a0: object, _rec_a1: object, _rec_a2: object, _rec_a3: object
) -> None:
    self._rec_a0 = _rec_a0
    self._rec_a1 = _rec_a1
    self._rec_a2 = _rec_a2
    self._rec_a3 = _rec_a3


def _init_ppppp(
    self: Any, _rec_a0: object, _rec_a1: object, _rec_a2: object, _rec_a3: object, _rec_a4: object
) -> None:
    self._rec_a0 = _rec_a0
    self._rec_a1 = _rec_a1
    self._rec_a2 = _rec_a2
    self._rec_a3 = _rec_a3
    self._rec_a4 = _rec_a4


def _init_pppppp(
    self: Any,
    _rec_a0: object,
    _rec_a1: object,
    _rec_a2: object,
    _rec_a3: object,
    _rec_a4: object,
    _rec_a5: object,
) -> None:
    self._rec_a0 = _rec_a0
    self._rec_a1 = _rec_a1
    self._rec_a2 = _rec_a2
    self._rec_a3 = _rec_a3
    self._rec_a4 = _rec_a4
    self._rec_a5 = _rec_a5


def _init_ppppppp(
    self: Any,
    _rec_a0: object,
    _rec_a1: object,
    _rec_a2: object,
    _rec_a3: object,
    _rec_a4: object,
    _rec_a5: object,
    _rec_a6: object,
) -> None:
    self._rec_a0 = _rec_a0
    self._rec_a1 = _rec_a1
    self._rec_a2 = _rec_a2
    self._rec_a3 = _rec_a3
    self._rec_a4 = _rec_a4
    self._rec_a5 = _rec_a5
    self._rec_a6 = _rec_a6


def _init_pppppppp(
    self: Any,
    _rec_a0: object,
    _rec_a1: object,
    _rec_a2: object,
    _rec_a3: object,
    _rec_a4: object,
    _rec_a5: object,
    _rec_a6: object,
    _rec_a7: object,
) -> None:
    self._rec_a0 = _rec_a0
    self._rec_a1 = _rec_a1
    self._rec_a2 = _rec_a2
    self._rec_a3 = _rec_a3
    self._rec_a4 = _rec_a4
    self._rec_a5 = _rec_a5
    self._rec_a6 = _rec_a6
    self._rec_a7 = _rec_a7


# __init__'s compiled code by shape (which fields it takes, makes or leaves, and whether it
# calls __post_init__), with placeholder names: other shapes are compiled once a process.
_INIT_CODE: dict[tuple[str, bool], Any] = {
    (name[6:], False): function.__code__
    for name, function in list(globals().items())
    if name.startswith("_init_p")
}


def _init_code(shape: str, post_init: bool) -> Any:
    """Fields are ``_rec_a<i>``; their defaults and factories, the globals ``_rec_d<i>``
    and ``_rec_f<i>``. Kinds: ``p`` a parameter, ``f`` a parameter with a factory, ``F``
    made by a factory, ``D`` set to a default, ``-`` left for __post_init__."""
    params = ["self"]
    body = []
    for i, kind in enumerate(shape):
        a = f"_rec_a{i}"
        if kind == "p":
            params.append(a)
            body.append(f"self.{a} = {a}")
        elif kind == "f":
            params.append(a)
            body.append(f"self.{a} = _rec_f{i}() if {a} is _rec_missing else {a}")
        elif kind == "F":
            body.append(f"self.{a} = _rec_f{i}()")
        elif kind == "D":
            body.append(f"self.{a} = _rec_d{i}")
    if post_init:
        body.append("self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n" + "".join(
        f"    {line}\n" for line in body or ["pass"]
    )
    made: dict[str, Any] = {}
    exec(source, {}, made)  # the source holds placeholder names only
    return made["__init__"].__code__


def _make_init(qualname: str, specs: dict[str, Field], post_init: bool) -> Any:
    env: dict[str, Any] = {"_rec_missing": MISSING}
    shape = []
    defaults = []
    for i, spec in enumerate(specs.values()):
        factory = spec.default_factory is not MISSING
        if factory:
            env[f"_rec_f{i}"] = spec.default_factory
        elif spec.default is not MISSING:
            env[f"_rec_d{i}"] = spec.default
        if spec.init:
            shape.append("f" if factory else "p")
            if factory:
                defaults.append(MISSING)
            elif spec.default is not MISSING:
                defaults.append(spec.default)
        else:
            shape.append("F" if factory else "D" if spec.default is not MISSING else "-")
    key = ("".join(shape), post_init)
    code = _INIT_CODE.get(key)
    if code is None:
        code = _INIT_CODE[key] = _init_code(*key)
    names = {f"_rec_a{i}": fname for i, fname in enumerate(specs)}
    code = code.replace(
        co_names=tuple(names.get(n, n) for n in code.co_names),
        co_varnames=tuple(names.get(n, n) for n in code.co_varnames),
        co_filename=f"<{qualname}.__init__, made by values.Record>",
    )
    init = _Function(code, env, "__init__", tuple(defaults) or None)
    init.__qualname__ = f"{qualname}.__init__"
    return init


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
            slots = ns["__slots__"]
            ns["_record_names"] = (slots,) if isinstance(slots, str) else tuple(slots)
            return super().__new__(mcls, name, bases, ns)
        specs: dict[str, Field] = {}
        for base in reversed(bases):
            specs.update(getattr(base, "_record_fields", {}))
        own = []
        for fname, annotation in _annotations(ns).items():
            if _is_class_var(annotation):
                continue
            if not fname.isidentifier() or fname == "self" or fname.startswith("_rec_"):
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
        qualname = ns.get("__qualname__", name)
        if "__init__" not in ns:
            ns["__init__"] = _make_init(qualname, specs, post_init)
        ns["__slots__"] = tuple(own)
        ns["_record_fields"] = specs
        ns["_record_names"] = tuple(specs)
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
    # What equality, hashing and the repr go by: the fields, or a class's own __slots__.
    _record_names: ClassVar[tuple[str, ...]] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._record_names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_names)
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
