"""Maps the top-level ``resources/`` and ``question_packs/`` into the ``app`` package of a wheel.

Everything else is declared in pyproject.toml. This file exists only because pyproject.toml cannot both find
the ``app*`` packages and add the two mapped ones: ``app.resources`` and ``app.question_packs`` are folders
of data (read with importlib.resources, see app/paths.py) that stay at the top of the repository.
"""

from setuptools import find_packages, setup

MAPPED = {"app.resources": "resources", "app.question_packs": "question_packs"}

setup(
    packages=[*find_packages(include=["app", "app.*"]), *MAPPED],
    package_dir=MAPPED,
    package_data={name: ["**/*"] for name in MAPPED},
)
