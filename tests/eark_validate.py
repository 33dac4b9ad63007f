"""Validate an E-ARK information package with the official eark-validator, offline.

eark-validator pins an lxml that beslutsgen's own dependencies cannot share, so it lives in
its own virtualenv (`make .venv-eark/.installed`) and this script runs there:

    .venv-eark/bin/python tests/eark_validate.py PACKAGE_DIR

When it is imported, eark-validator reads four CSIP vocabularies from
https://earkcsip.dilcis.eu/schema/. The same files ship inside eark-validator; this script
serves them from 127.0.0.1 and points urllib there, and refuses every other URL, so
validation never touches the network.

The package is validated as eark-validator's command line does (structure, METS schema,
CSIP and SIP 2.1.0 Schematron on the root METS.xml); each representation's METS.xml is
checked against the METS schema too (the command line does not look at them). Prints one
JSON object: the validator's statuses, then its findings, each with the rule id, where it
comes from (structure, schema, schematron), its location and message:

  errors             what the validator calls an error, except the ones below
  validator_defects  errors that eark-validator 1.1.3 reports for any package following
                     CSIP/SIP 2.1.0 as written, because its rule contradicts the
                     specification or the METS schema; each says why, and each is
                     recognised by the element it concerns (see _defect), never by rule
                     id alone
  warnings, infos    the rest

Exit status 0 when `errors` is empty, 1 when it is not, 2 when used wrongly.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
import threading
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

VOCABULARIES = "https://earkcsip.dilcis.eu/schema/"
LOCATION_CHARS = 300  # a Schematron location embeds the whole test (the IANA one is huge)
METS = "{http://www.loc.gov/METS/}"
CSIP_NOTETYPE = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}NOTETYPE"

# Errors eark-validator 1.1.3 reports for every package that follows CSIP and SIP 2.1.0 as
# written, because its rules contradict the specification (or the METS schema) they check.
# Each is recognised by the element it is about, never by rule id alone; anything else the
# validator calls an error stays an error.
WHY_SIP14 = (
    "SIP14 in eark-validator 1.1.3 asks every note of every CREATOR agent for a NOTETYPE "
    "attribute without a namespace, which the METS schema forbids (agent/note admits only "
    "attributes of other namespaces); SIP 2.1.0 specifies csip:NOTETYPE, and the software "
    'agent\'s note must carry csip:NOTETYPE="SOFTWARE VERSION" (CSIP16)'
)
WHY_CREATOR = (
    "eark-validator 1.1.3 applies CSIP12, CSIP13 and CSIP16 (the creating software agent) to "
    'every agent with ROLE="CREATOR", but SIP15-SIP17 make the submitting agent '
    'ROLE="CREATOR" TYPE="ORGANIZATION" (or "INDIVIDUAL"), as in the SIP profile\'s '
    "own examples; this METS has a separate software agent that satisfies CSIP10-CSIP16"
)


def _vocabulary_dir() -> Path:
    """eark-validator's shipped vocabularies, found without importing it (that fetches)."""
    spec = importlib.util.find_spec("eark_validator")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("eark_validator is not installed; run: make .venv-eark/.installed")
    return Path(next(iter(spec.submodule_search_locations))) / "ipxml" / "resources" / "vocabs"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _OnlyLocal(urllib.request.BaseHandler):
    """Sends the vocabulary URLs to the local server; any other remote URL is an error."""

    handler_order = 100  # before urllib's own HTTP and HTTPS handlers

    def __init__(self, local: str) -> None:
        self.local = local

    def https_open(self, req: urllib.request.Request) -> Any:
        url = req.full_url
        if not url.startswith(VOCABULARIES):
            raise urllib.error.URLError(f"no network while validating: {url}")
        return self.parent.open(self.local + url[len(VOCABULARIES) :], timeout=10)

    def http_open(self, req: urllib.request.Request) -> None:
        if not req.full_url.startswith(self.local):
            raise urllib.error.URLError(f"no network while validating: {req.full_url}")
        return None  # urllib's own HTTPHandler fetches it from the local server


def _node(tree: Any, location: str) -> Any:
    """The element a Schematron finding is about. eark-validator's location is the rule's
    context, its test and then the SVRL location path, run together."""
    from lxml import etree

    start = location.find("/*[local-name()=")
    if start < 0:
        return None
    try:
        nodes = tree.xpath(location[start:])
    except etree.XPathError:
        return None
    return nodes[0] if len(nodes) == 1 else None


def _is_software_agent(agent: Any) -> bool:
    notes = agent.findall(f"{METS}note")
    return (
        agent.get("ROLE") == "CREATOR"
        and agent.get("TYPE") == "OTHER"
        and agent.get("OTHERTYPE") == "SOFTWARE"
        and len(agent.findall(f"{METS}name")) == 1
        and len(notes) == 1
        and notes[0].get(CSIP_NOTETYPE) == "SOFTWARE VERSION"
    )


def _defect(rule_id: str, node: Any) -> str | None:
    """Why this error is the validator's and not the package's, or None when it is not."""
    if node is None:
        return None
    if rule_id == "SIP14" and node.tag == f"{METS}note":
        agent = node.getparent()
        if (
            agent.get("ROLE") == "CREATOR"
            and node.get(CSIP_NOTETYPE) in ("SOFTWARE VERSION", "IDENTIFICATIONCODE")
            and (node.get(CSIP_NOTETYPE) == "IDENTIFICATIONCODE" or _is_software_agent(agent))
        ):
            return WHY_SIP14
    if rule_id in ("CSIP12", "CSIP13", "CSIP16") and node.tag == f"{METS}agent":
        header = node.getparent()
        if (
            node.get("ROLE") == "CREATOR"
            and node.get("TYPE") in ("ORGANIZATION", "INDIVIDUAL")
            and any(_is_software_agent(a) for a in header.findall(f"{METS}agent"))
        ):
            return WHY_CREATOR
    return None


def _finding(result: Any, source: str, tree: Any = None) -> dict[str, str]:
    location = result.location or ""
    node = _node(tree, location) if tree is not None else None
    if node is not None:
        location = node.getroottree().getpath(node)
    elif len(location) > LOCATION_CHARS:
        location = location[:LOCATION_CHARS] + "…"
    finding = {
        "rule_id": result.rule_id or "",
        "source": source,
        "location": location,
        "message": " ".join((result.message or "").split()),
        "severity": result.severity.name,  # ERROR, WARNING, INFORMATION or UNKNOWN
    }
    why = _defect(finding["rule_id"], node) if finding["severity"] == "ERROR" else None
    if why:
        finding["why"] = why
    return finding


def validate(package: Path) -> dict[str, Any]:
    """The report for `package`; the vocabularies must already be reachable."""
    from eark_validator.mets import MetsValidator
    from eark_validator.packages import PackageValidator
    from eark_validator.specifications.specification import SpecificationVersion
    from lxml import etree

    version = SpecificationVersion.V2_1_0
    report = PackageValidator(package, version).validation_report
    findings: list[dict[str, str]] = []
    result: dict[str, Any] = {
        "package": str(package),
        "specification": str(version),
        "structure": report.structure.status.value if report.structure else "UNKNOWN",
        "schema": "UNKNOWN",
        "schematron": "UNKNOWN",
    }
    if report.structure:
        findings += [_finding(m, "structure") for m in report.structure.messages]
    if report.metadata:
        result["schema"] = report.metadata.schema_results.status.value
        result["schematron"] = report.metadata.schematron_results.status.value
        findings += [_finding(m, "schema") for m in report.metadata.schema_results.messages]
        tree = etree.parse(str(package / "METS.xml"))
        findings += [
            _finding(m, "schematron", tree) for m in report.metadata.schematron_results.messages
        ]
    representations = package / "representations"
    if representations.is_dir():
        for rep in sorted(representations.iterdir()):
            mets = rep / "METS.xml"
            if mets.is_file():
                checker = MetsValidator(str(package))
                checker.validate_mets(mets.relative_to(package).as_posix())
                source = f"schema representations/{rep.name}/METS.xml"
                findings += [_finding(m, source) for m in checker.validation_errors]

    def bucket(*severities: str, defect: bool = False) -> list[dict[str, str]]:
        return [
            {k: v for k, v in f.items() if k != "severity"}
            for f in findings
            if f["severity"] in severities and ("why" in f) == defect
        ]

    result["errors"] = bucket("ERROR", "UNKNOWN")  # an unclassified finding is not a pass
    result["validator_defects"] = bucket("ERROR", defect=True)
    result["warnings"] = bucket("WARNING")
    result["infos"] = bucket("INFORMATION")
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: eark_validate.py PACKAGE_DIR", file=sys.stderr)
        return 2
    package = Path(argv[0]).resolve()
    if not (package / "METS.xml").is_file():
        print(f"{package}: no METS.xml; not an information package folder", file=sys.stderr)
        return 2
    handler = functools.partial(_QuietHandler, directory=str(_vocabulary_dir()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        local = f"http://127.0.0.1:{server.server_address[1]}/"
        proxies_off = urllib.request.ProxyHandler({})
        urllib.request.install_opener(urllib.request.build_opener(proxies_off, _OnlyLocal(local)))
        result = validate(package)
    finally:
        server.shutdown()
        server.server_close()
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
