# Two entry points: `make demo` builds the graph of seeds/, `make test` runs the test suite.
# Both create the environment in .venv/ first (Python 3.11 and the packages in pyproject.toml).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test dev-score clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q kg   # an editable install compiles nothing; with PYTHONDONTWRITEBYTECODE set,
	                                    # every kg command would compile its modules again (0.25 s of CPU)
	touch $@

demo: $(BIN)/kg
	$(BIN)/kg build seeds --output out/seeds.ttl
	$(BIN)/kg query out/seeds.ttl --named awards-by-municipality

# -n auto: one pytest worker per core (pytest-xdist); most tests start a kg process, a server or a browser and
# wait on it, so two cores run the suite in little more than half the time. worksteal: a worker that runs out
# takes tests queued for the other, so the few long tests (whole-corpus builds) do not end the run alone.
test: $(BIN)/kg
	$(BIN)/python -m pytest -n auto --dist worksteal

dev-score: $(BIN)/kg
	$(BIN)/kg build ../shared/corpus/dev --output out/dev.ttl
	$(BIN)/python ../shared/eval/score.py --gold ../shared/corpus/dev --graph out/dev.ttl

clean:
	rm -rf $(VENV) out .pytest_cache *.egg-info
