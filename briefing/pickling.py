"""How the model's values pickle: small, and quick to load (a rebuild loads tens of thousands).

Its own module, with nothing but the standard library, so that code that only reads the manifest
(the quick path of an unchanged build) does not import the whole model.
"""

from __future__ import annotations

import operator
from dataclasses import fields
from typing import TypeVar

T = TypeVar("T")


def compact_pickle(cls: type[T]) -> type[T]:
    """Pickle a frozen dataclass as (class, field values).

    Unpickling then runs ``__init__`` once instead of the ``__setstate__`` that dataclasses generate
    for slotted classes, which is twice as slow: a build loads tens of thousands of these small values
    (mentions, dates, metadata) from its cache. Only for classes with two or more fields, all of them
    ``__init__`` arguments; every model class qualifies.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    assert len(names) > 1, "attrgetter returns a bare value for one name"
    get = operator.attrgetter(*names)

    def __reduce__(self: T) -> tuple[type[T], tuple[object, ...]]:
        return cls, get(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls
