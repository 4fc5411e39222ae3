"""Rows from fixed SQL text, for the hottest reads.

Building and compiling a QuerySet, then a model instance per row, costs more CPU
than PostgreSQL spends running a small indexed SELECT
(bench/platform_throughput.py). ``FixedSelect`` applies each field's database
converters, as the ORM does, to SQL whose text is written once per model, and
returns read-only rows: named tuples with the model's field attributes (``id``,
``workspace_id``, ``created_at``…), enough for the ``*_data(obj)`` output
functions, which only read fields.
"""

from collections import namedtuple

from django.db import connection


class FixedSelect:
    """``SELECT <every concrete column> FROM <table> <tail>`` → rows."""

    _plans: dict[tuple[str, type], "FixedSelect"] = {}

    def __init__(self, model):
        self.model = model
        table = model._meta.db_table
        fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in fields]
        self.has_livemode = "livemode" in self.attnames
        self.row = namedtuple(f"{model.__name__}Row", self.attnames)
        quote = connection.ops.quote_name
        self.head = f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(table)} "
        self.converters = []
        for index, field in enumerate(fields):
            column = field.get_col(table)
            converters = connection.ops.get_db_converters(column) + field.get_db_converters(
                connection
            )
            if converters:
                self.converters.append((index, column, converters))

    @classmethod
    def of(cls, model) -> "FixedSelect":
        key = (connection.vendor, model)
        plan = cls._plans.get(key)
        if plan is None:
            plan = cls._plans[key] = cls(model)
        return plan

    def fetch(self, tail: str, params: list) -> list:
        with connection.cursor() as cursor:
            cursor.execute(self.head + tail, params)
            rows = cursor.fetchall()
        make = self.row._make
        if not self.converters:
            return [make(row) for row in rows]
        out = []
        for row in rows:
            row = list(row)
            for index, column, converters in self.converters:
                for converter in converters:
                    row[index] = converter(row[index], column, connection)
            out.append(make(row))
        return out
