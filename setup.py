"""Only for scrapyd-deploy, which builds an egg with `setup.py bdist_egg`: the configuration is pyproject.toml."""

from setuptools import setup

setup()
