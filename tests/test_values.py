"""values.Record: fields from annotations, generated methods, replace, and the older idiom of
classes that write their own __slots__ and __init__."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from typing import ClassVar

import pytest

from conftest import REPO_ROOT
from git_blueprint.values import Record, field, replace


class Point(Record, frozen=True):
    x: int
    y: int = 0
    label: str | None = None


class Bag(Record):
    name: str
    items: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    kind: str = field(default="bag")
    LIMIT: ClassVar[int] = 10

    @property
    def size(self) -> int:
        return len(self.items)


class Derived(Point, frozen=True):
    z: int = 0


class Prepared(Record):
    text: str
    words: list[str] = field(init=False)
    seen: int = field(init=False, default=0)
    log: list[str] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.words = self.text.split()


class Handwritten(Record):
    __slots__ = ("a", "b")

    def __init__(self, a: int, b: str) -> None:
        self.a = a
        self.b = b


class OwnRepr(Record):
    value: int

    def __repr__(self) -> str:
        return f"<{self.value}>"


class OwnEq(Record):
    value: int

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OwnEq) and other.value % 2 == self.value % 2


def test_init_takes_fields_in_order_with_defaults() -> None:
    assert (Point(1).x, Point(1).y, Point(1).label) == (1, 0, None)
    p = Point(1, 2, "p")
    assert (p.x, p.y, p.label) == (1, 2, "p")
    assert Point(x=3, label="q") == Point(3, 0, "q")
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, "p", 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, w=2)  # type: ignore[call-arg]


def test_factories_make_a_fresh_value_per_instance() -> None:
    a, b = Bag("a"), Bag("b")
    a.items.append("x")
    a.counts["x"] = 1
    assert b.items == [] and b.counts == {}
    assert a.kind == b.kind == "bag"
    given = ["y"]
    assert Bag("c", given).items is given
    assert Bag("a", ["x"], {"x": 1}).size == 1


def test_class_vars_and_methods_are_not_fields() -> None:
    assert Bag.__slots__ == ("name", "items", "counts", "kind")
    assert Bag.LIMIT == 10
    assert Bag.__match_args__ == ("name", "items", "counts", "kind")
    assert "size" not in Bag.__slots__


def test_equality_hash_and_repr() -> None:
    assert Point(1, 2) == Point(1, 2)
    assert Point(1, 2) != Point(2, 1)
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert len({Point(1, 2), Point(1, 2), Point(1, 3)}) == 2
    # Another class with the same values is not equal, a subclass included.
    assert Point(1, 0) != Derived(1, 0)
    assert Point(1) != (1, 0, None)
    assert repr(Point(1, 2, "p")) == "Point(x=1, y=2, label='p')"
    assert repr(Bag("b")) == "Bag(name='b', items=[], counts={}, kind='bag')"
    # Hashable when the values are.
    with pytest.raises(TypeError):
        hash(Bag("b"))


def test_a_class_keeps_the_methods_it_writes() -> None:
    assert repr(OwnRepr(3)) == "<3>"
    assert OwnRepr(3) == OwnRepr(3)
    assert OwnEq(1) == OwnEq(3)
    # __eq__ without __hash__: unhashable, as Python makes such a class.
    assert OwnEq.__hash__ is None


def test_records_have_slots_not_a_dict() -> None:
    p = Point(1)
    assert not hasattr(p, "__dict__")
    with pytest.raises(AttributeError):
        p.z = 3  # type: ignore[attr-defined]
    assert not hasattr(Bag("b"), "__dict__")
    assert not hasattr(Derived(1), "__dict__")


def test_a_subclass_adds_fields_after_its_base() -> None:
    d = Derived(1, 2, "d", 3)
    assert (d.x, d.y, d.label, d.z) == (1, 2, "d", 3)
    assert Derived.__slots__ == ("z",)
    assert repr(d) == "Derived(x=1, y=2, label='d', z=3)"
    assert d == Derived(1, 2, "d", 3) and d != Derived(1, 2, "d", 4)


def test_post_init_and_fields_init_does_not_take() -> None:
    p = Prepared("two words")
    assert p.words == ["two", "words"] and p.seen == 0 and p.log == []
    assert Prepared.__match_args__ == ("text",)
    with pytest.raises(TypeError):
        Prepared("x", ["y"])  # type: ignore[call-arg]
    assert p.log is not Prepared("x").log


def test_replace_copies_through_init() -> None:
    p = Point(1, 2, "p")
    q = replace(p, y=5)
    assert q == Point(1, 5, "p") and p == Point(1, 2, "p")
    assert type(replace(Derived(1), z=2)) is Derived
    assert replace(Derived(1), z=2) == Derived(1, 0, None, 2)
    prepared = replace(Prepared("a b"), text="c")
    assert prepared.words == ["c"]
    with pytest.raises(ValueError, match="words"):
        replace(Prepared("a"), words=[])
    with pytest.raises(TypeError):
        replace(p, w=1)
    with pytest.raises(TypeError, match="declared fields"):
        replace(Handwritten(1, "b"), a=2)


def test_explicit_slots_keep_the_older_idiom() -> None:
    h = Handwritten(1, "b")
    assert Handwritten.__slots__ == ("a", "b")
    assert h == Handwritten(1, "b") and h != Handwritten(2, "b")
    assert hash(h) == hash(Handwritten(1, "b"))
    assert repr(h) == "Handwritten(a=1, b='b')"
    assert not hasattr(h, "__dict__")


def test_a_field_without_default_may_not_follow_one_with_a_default() -> None:
    with pytest.raises(TypeError, match="'b' has no default but follows 'a'"):

        class Bad(Record):
            a: int = 0
            b: int  # type: ignore[misc]

    with pytest.raises(TypeError, match="'w' has no default but follows 'y'"):

        class BadSub(Point, frozen=True):
            w: int  # type: ignore[misc]

    # A field __init__ does not take may come anywhere.
    class Fine(Record):
        a: int = 0
        b: int = field(init=False)

    assert Fine().a == 0


def test_mutable_plain_defaults_are_refused() -> None:
    defaults: list[object] = [[], {}, set()]
    for default in defaults:
        with pytest.raises(TypeError, match="default_factory"):
            type(Record)("Bad", (Record,), {"__annotations__": {"a": "list"}, "a": default})  # type: ignore[misc]
    with pytest.raises(TypeError, match="not both"):
        field(default=1, default_factory=int)  # type: ignore[call-overload]


def test_field_names_must_be_identifiers() -> None:
    # The generated methods are compiled from the field names: nothing else gets in.
    namespace = {"__annotations__": {"a=0):\n    import os\n#": "int"}}
    with pytest.raises(TypeError, match="not a name"):
        type(Record)("Bad", (Record,), namespace)  # type: ignore[misc]


def test_records_pickle() -> None:
    # Slotted records pickle by their slots, as the hand-written ones did.
    assert pickle.loads(pickle.dumps(Point(1, 2, "p"))) == Point(1, 2, "p")


def test_importing_values_loads_nothing() -> None:
    # The hook path's modules build their classes with values.Record: it must cost no
    # module beyond the interpreter's own start-up ones.
    src = REPO_ROOT / "src"
    code = (
        "import sys; before = set(sys.modules); import git_blueprint.values; "
        "print(sorted(set(sys.modules) - before))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.insert(0, {str(src)!r}); {code}"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    ).stdout
    # __future__ is the one module a `from __future__ import` loads, in every module.
    assert set(eval(out)) - {"__future__"} == {"git_blueprint", "git_blueprint.values"}
