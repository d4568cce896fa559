"""Apps depend only downward (DESIGN.md's module map): a module of an app imports only from apps
above it in LAYERS. Interface modules (views, urls, admin, management commands, template tags, benchmarks) and
the shared list page built on them (``common.listing``, ``common.views``) sit on top and are
exempt; test helpers too. Imports inside functions count: a deferred import is still a dependency."""

import ast
import pathlib

import gongjiang

LAYERS = [
    "core",
    "common",
    "accounts",
    "jobs",
    "workflow",
    "orgs",
    "talents",
    "evaluation",
    "carriers",
    "schools",
    "competitions",
    "honours",
    "benefits",
    "training",
    "plan",
    "portal",
    "stats",
    "api",
]
INTERFACE = {"views.py", "urls.py", "admin.py", "listing.py", "testing.py", "benchmarks.py"}
ROOT = pathlib.Path(gongjiang.__file__).parent


def _upward_imports():
    rank = {app: i for i, app in enumerate(LAYERS)}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] not in rank or path.name in INTERFACE:
            continue
        if {"migrations", "tests", "management", "templatetags"} & set(parts):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and not node.level
                and (node.module or "").startswith("gongjiang.")
            ):
                other = node.module.split(".")[1]
                if other in rank and rank[other] > rank[parts[0]]:
                    yield f"{'/'.join(parts)} imports {node.module}"


def test_apps_import_only_from_apps_below_them():
    assert list(_upward_imports()) == []


def test_every_app_is_placed_in_the_layers():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps <= set(LAYERS), apps - set(LAYERS)
