"""Differential-testing driver: runs one Panther policy under CPython.

Usage: difftest_driver.py POLICY_FILE MODULE_NAME [HELPERS_DIR]

Reads one JSON resource per line on stdin and writes one JSON line per
resource on stdout, in order: {"result": true|false} or
{"error": "ExceptionName: message"}, as Panther's engine would judge the
call (a non-bool return is a FunctionReturnTypeError). Modules that rebind
globals are re-imported for every resource, matching the compiled policies'
fresh module state per evaluation. The policy's own output is discarded.

Resource lookups see an empty resource table, as the compiled policies do
with the default context: Panther's `resource_lookup` runs unchanged, and
its DynamoDB table answers "no such item".
"""
import contextlib
import importlib.util
import io
import json
import sys


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _EmptyTable:
    """A DynamoDB table with no items."""

    def get_item(self, **_kwargs):
        return {"ResponseMetadata": {"HTTPStatusCode": 200}}


def install_empty_resource_table():
    try:
        import panther_aws_helpers  # pylint: disable=import-outside-toplevel
    except ImportError:
        return
    panther_aws_helpers.resource_table = _EmptyTable


def install_deep_get_standin():
    """Without Panther's helpers (CI), provide a stand-in module with only
    `deep_get`, written from its documented behaviour. Policies importing
    other helpers are skipped (ImportError)."""
    import types  # pylint: disable=import-outside-toplevel
    from collections.abc import Mapping  # pylint: disable=import-outside-toplevel

    def deep_get(dictionary, *keys, default=None):
        value = dictionary
        for key in keys:
            value = value.get(key, default) if isinstance(value, Mapping) else default
        return default if value is None else value

    standin = types.ModuleType("panther_base_helpers")
    standin.deep_get = deep_get
    sys.modules.setdefault("panther_base_helpers", standin)


def main():
    path, name = sys.argv[1], sys.argv[2]
    if len(sys.argv) > 3 and sys.argv[3]:
        sys.path.insert(0, sys.argv[3])
        install_empty_resource_table()
    else:
        install_deep_get_standin()
    with open(path, encoding="utf-8") as f:
        rebinds = "global " in f.read()
    try:
        module = load(path, name)
    except ImportError as e:
        # The policy needs a module this environment lacks: not a divergence.
        sys.stderr.write(f"SKIP: {e}\n")
        sys.exit(3)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        if rebinds:
            module = load(path, name)
        resource = json.loads(line)
        sink = io.StringIO()
        try:
            with contextlib.redirect_stdout(sink):
                result = module.policy(resource)
            if isinstance(result, bool):
                record = {"result": result}
            else:
                record = {
                    "error": f"FunctionReturnTypeError: detection [{name}] function [policy] "
                    f"returned [{type(result).__name__}], expected [bool]"
                }
        except RecursionError as e:  # pragma: no cover - reported like any exception
            record = {"error": f"RecursionError: {e}"}
        except Exception as e:  # noqa: BLE001 - every exception is an outcome
            record = {"error": f"{type(e).__name__}: {e}"}
        out.write(json.dumps(record) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
