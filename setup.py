"""Build hook: the wheel carries ontology/, shapes/ and queries/ as package data under kg/data/ (see
kg/resources.py), so `pip install .` works without the checkout. Everything else is in pyproject.toml."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RESOURCE_DIRS = {"ontology": "*.ttl", "shapes": "*.ttl", "queries": "*.rq"}


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):   # an editable install reads them from the checkout
            return
        for name, pattern in RESOURCE_DIRS.items():
            target = Path(self.build_lib) / "kg" / "data" / name
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted((HERE / name).glob(pattern)):
                shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": BuildPyWithResources})
