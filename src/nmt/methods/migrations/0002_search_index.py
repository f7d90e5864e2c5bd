"""The library's full-text index, in the database's own engine.

SQLite: an FTS5 table keyed by the item id. PostgreSQL: a GIN index on the Swedish tsvector of
``search_text``, built from the same expression the search selector uses so that the planner can
use it. Other databases get neither (the selector refuses to search there).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

FTS_TABLE = "methods_library_fts"
GIN_NAME = "methods_library_search_gin"


def _gin() -> GinIndex:
    return GinIndex(SearchVector("search_text", config="swedish"), name=GIN_NAME)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
        )
    elif vendor == "postgresql":
        schema_editor.add_index(apps.get_model("methods", "LibraryItem"), _gin())


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("methods", "LibraryItem"), _gin())


class Migration(migrations.Migration):
    dependencies = [("methods", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
