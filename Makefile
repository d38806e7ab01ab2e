# The two commands a newcomer needs: `make run` and `make test`. Both work from a
# bare clone with only python3: they create .venv and install from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
UV_VERSION := 0.13.9

.PHONY: run test lint typecheck unit check-requirements lock bench clean

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m devtools.local_runtime

test: $(STAMP) check-requirements lint typecheck unit

check-requirements: $(STAMP)
	$(BIN)/python scripts/check_requirements.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy app.py chalicelib devtools scripts bench

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench.run

# Re-resolve the lock (needs uv; installed on demand into the venv) and regenerate
# requirements.txt (runtime only, pinned to the lock's versions).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --no-header --no-annotate --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple \
		-c requirements.lock -o requirements.txt

clean:
	rm -rf $(VENV) .local .mypy_cache .ruff_cache .pytest_cache .hypothesis
