"""Maps the top-level ``resources/`` and ``question_packs/`` into the ``app`` package of a wheel.

Everything else is declared in pyproject.toml. This file exists only because pyproject.toml cannot both find
the ``app*`` packages and add the mapped ones: ``app.resources`` (with its sub-folders) and
``app.question_packs`` are folders of data (read with importlib.resources, see app/paths.py) that stay at the
top of the repository. Their files are listed under package-data in pyproject.toml.
"""

from setuptools import find_namespace_packages, find_packages, setup

MAPPED = {"app.resources": "resources", "app.question_packs": "question_packs"}

setup(
    packages=[
        *find_packages(include=["app", "app.*"]),
        *MAPPED,
        # Sub-folders with importable names would otherwise each warn that they are "absent from packages".
        *(f"app.resources.{name}" for name in find_namespace_packages(where="resources")),
    ],
    package_dir=MAPPED,
)
