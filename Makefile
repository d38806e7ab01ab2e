# The two commands a newcomer needs: `make run` and `make test`. Both work from a
# bare clone with only python3: they create .venv and install from requirements.lock.
# Deploying: `make template STAGE=dev|prod` and `make deploy STAGE=dev|prod` (infra/README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Deploy tooling (cfn-lint, SAM translator) has its own lock on top of requirements.lock:
# make template/deploy and the template tests install it; make run does not.
DEPLOY_STAMP := $(VENV)/.installed-deploy
UV_VERSION := 0.13.9
STAGE ?= dev
ARGS ?=

.PHONY: run test lint typecheck unit browser screenshots check-requirements lock bench clean \
	template deploy

# First run (or a changed lock): say what is happening and let pip show its progress; later
# runs find the stamp and stay quiet.
$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
		echo ">> '$(PYTHON)' is not Python 3.11, which the lock is for: make $(MAKECMDGOALS) PYTHON=python3.11 (or its path)"; \
		exit 1; }
	@echo ">> Setting up $(VENV) with $(PYTHON) ($$($(PYTHON) --version 2>&1)): installing the"
	@echo ">> $$(grep -c '^[a-z]' requirements.lock) pinned packages of requirements.lock. This takes a minute or two, once."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --no-input --progress-bar on \
		--require-hashes --no-deps -r requirements.lock
	@touch $(STAMP)
	@echo ">> $(VENV) is ready."

$(DEPLOY_STAMP): $(STAMP) infra/requirements.lock
	@echo ">> Adding the deploy tooling of infra/requirements.lock (cfn-lint, SAM translator, moto's CloudFormation)."
	$(BIN)/python -m pip install --disable-pip-version-check --no-input --progress-bar on \
		--require-hashes --no-deps -r infra/requirements.lock
	@touch $(DEPLOY_STAMP)

run: $(STAMP)
	$(BIN)/python -m devtools.local_runtime

test: $(STAMP) $(DEPLOY_STAMP) check-requirements lint typecheck browser unit

# Debian's Chromium for the browser tests (tests/browser) and the screenshots.
browser:
	@bash scripts/ensure_chromium.sh

# Desktop and phone screenshots of the web app's main screens into docs/screenshots/.
screenshots: $(STAMP) browser
	$(BIN)/python -m devtools.screenshots

check-requirements: $(STAMP)
	$(BIN)/python scripts/check_requirements.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP) $(DEPLOY_STAMP)
	$(BIN)/mypy app.py chalicelib devtools scripts bench infra

# The suite on up to four processes (pytest-xdist), a test file per process at a time so a
# file's shared fixtures (a local runtime, a browser) start once; TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(min(4, os.cpu_count() or 1))')
unit: $(STAMP) $(DEPLOY_STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(STAMP)
	$(BIN)/python -m bench.run

# The stage's complete CloudFormation template in dist/<stage>/ (no AWS credentials needed).
template: $(DEPLOY_STAMP)
	$(BIN)/python -m infra.template --stage $(STAGE)

# Builds the template, then deploys it with the environment's AWS credentials;
# ARGS="--parameter AlarmEmail=ops@example.nl --activate-rule-set" passes options on.
deploy: $(DEPLOY_STAMP)
	$(BIN)/python -m infra.deploy --stage $(STAGE) $(ARGS)

# Re-resolve the locks (needs uv; installed on demand into the venv) and regenerate
# requirements.txt (runtime only, pinned to the lock's versions).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --no-header --no-annotate --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple \
		-c requirements.lock -o requirements.txt
	$(BIN)/uv pip compile pyproject.toml --extra deploy --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --index-url https://pypi.org/simple \
		-c requirements.lock -o infra/requirements.lock

clean:
	rm -rf $(VENV) .local dist .mypy_cache .ruff_cache .pytest_cache .hypothesis
