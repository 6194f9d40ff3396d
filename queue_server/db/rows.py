"""Model instances for rows written on the driver, built the way the ORM builds loaded rows.

``Ticket(...)`` is slow: SQLModel sends each of its 32 fields through both SQLAlchemy's
attribute events and pydantic's ``__setattr__``. A row the issue path wrote itself
needs none of that: its values go straight into the instance's ``__dict__``, as SQLAlchemy does
for a row it loads, and the object is transient (in no session), as ``Ticket(...)`` would be.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic_core import PydanticUndefined
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlmodel import SQLModel

M = TypeVar("M", bound=SQLModel)


@cache
def _defaults(model: type[SQLModel]) -> tuple[dict[str, Any], frozenset[str]]:
    """Return a model's constant defaults and the names of the fields it requires."""
    configure_mappers()  # a model's attributes work only once its mapper is configured
    defaults: dict[str, Any] = {}
    required = set()
    for name, field in model.model_fields.items():
        if field.default_factory is not None:
            raise TypeError(f"{model.__name__}.{name} has a default factory; build it with the model")
        if field.default is PydanticUndefined:
            required.add(name)
        else:
            defaults[name] = field.default
    return defaults, frozenset(required)


def transient(model: type[M], values: dict[str, Any]) -> M:
    """Return a transient instance of a table model holding ``values``, defaults for the rest.

    No validation and no conversion: the values are the ones just written to the database.
    """
    defaults, required = _defaults(model)
    missing = required - values.keys()
    if missing:
        raise TypeError(f"{model.__name__} needs {', '.join(sorted(missing))}")
    instance: M = manager_of_class(model).new_instance()
    instance.__dict__.update(defaults)
    instance.__dict__.update(values)
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    return instance
