# Plantline: `make run` starts everything embedded, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format bench demo token install clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create the virtual environment and install the pinned dependencies

run: $(STAMP) ## start the embedded broker and the four services (Ctrl-C stops them)
	$(BIN)/python -m shared.launcher run

test: $(STAMP) ## the whole suite: SQLite always, PostgreSQL when it answers on 127.0.0.1:5432
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -p no:cacheprovider --durations=15

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check shared services tests bench
	$(BIN)/ruff format --check shared services tests bench
	$(BIN)/mypy shared services

format: $(STAMP)
	$(BIN)/ruff format shared services tests bench
	$(BIN)/ruff check --fix shared services tests bench

bench: $(STAMP) ## benchmarks that print figures (BENCH="event_latency mrp" for some)
	$(BIN)/python -m bench $(BENCH)

demo: $(STAMP) ## against a running `make run`: seed a bicycle factory and play a working week
	$(BIN)/python -m bench.demo

token: $(STAMP) ## print a development token with every scope
	@$(BIN)/python -m shared.launcher token

clean:
	rm -rf $(VENV) var .pytest_cache
