"""The stack as code: `python -m infra.template` and `python -m infra.deploy` (see README.md).

Deploy tooling only: nothing here is in the Lambda bundle (Chalice packages app.py,
chalicelib/ and requirements.txt) nor in what `make run` installs.
"""
