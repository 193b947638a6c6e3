"""selfeval: a rules-engine validator for budget performance self-evaluation
submissions (绩效自评表).

    from validator import Validator
    report = Validator().check("samples/anshan-2024-transfer.yaml")
    report.ok, report.findings, report.to_dict()
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Validator", "Report", "Finding", "Limits", "__version__"]


def __getattr__(name: str):
    # Keep `import validator` cheap: the CLI imports only what a command needs.
    if name == "Validator":
        from validator.api import Validator

        return Validator
    if name == "Report":
        from validator.report.report import Report

        return Report
    if name == "Finding":
        from validator.check.findings import Finding

        return Finding
    if name == "Limits":
        from validator.limits import Limits

        return Limits
    raise AttributeError(f"module 'validator' has no attribute {name!r}")
