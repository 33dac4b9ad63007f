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
JSON object: the validator's statuses, every finding (rule id, source, the element's
XPath, message, severity), and the verdict of EXEMPTIONS below:

  exempted    errors that eark-validator 1.1.3 reports on every package that follows
              CSIP/SIP 2.1.0, because its rule contradicts the specification or the METS
              schema; each matched by rule *and* element (the table's XPath), with why
  unexpected  every other error (or unclassified finding), and any warning but CSIPSTR13
  unused      exemptions whose elements are in the package but were not reported: the
              validator changed, or the package did; either way the table is out of date
  accepted    structure WellFormed, schema VALID, nothing unexpected, nothing unused

The validator's own exit status says nothing (it is 0 even for INVALID); only the report
is judged. Exit status 0 when accepted, 1 when not, 2 when used wrongly.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

VOCABULARIES = "https://earkcsip.dilcis.eu/schema/"
LOCATION_CHARS = 300  # a Schematron location embeds the whole test (the IANA one is huge)
METS = "{http://www.loc.gov/METS/}"
CSIP_NOTETYPE = "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}NOTETYPE"

WARNINGS_ACCEPTED = ("CSIPSTR13",)  # SHOULD: metadata per representation; ours is per package
NS = {"mets": "http://www.loc.gov/METS/", "csip": "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"}
_SOFTWARE_AGENT = (
    "mets:agent[@ROLE='CREATOR' and @TYPE='OTHER' and @OTHERTYPE='SOFTWARE'"
    " and mets:note[@csip:NOTETYPE='SOFTWARE VERSION']]"
)
_WHY_SIP14 = (
    "eark-validator 1.1.3 asserts SIP14 in the context "
    "/mets:mets/mets:metsHdr/mets:agent[@ROLE = 'CREATOR']/mets:note with the test "
    "@NOTETYPE = 'IDENTIFICATIONCODE' (\"The creator agent element MUST have a NOTETYPE "
    "attribute of value IDENTIFICATIONCODE.\"). The SIP 2.1.0 profile says SIP14: \"The "
    "archival creator agent note is typed with the value of \"IDENTIFICATIONCODE\".\" at "
    "METS XPath metsHdr/agent/note/@csip:NOTETYPE, i.e. the namespaced attribute, and CSIP16 "
    "says \"The mandatory agent element's note child has a `@csip:NOTETYPE` attribute with "
    "a fixed value of \"SOFTWARE VERSION\".\" An un-namespaced NOTETYPE is forbidden by the "
    "METS schema the validator also enforces (agent/note admits only <xsd:anyAttribute "
    "namespace=\"##other\">), so every note of a CREATOR agent that is typed as the "
    "profiles say is reported."
)
_WHY_CREATOR = (
    "eark-validator 1.1.3 asserts CSIP12 (@TYPE = 'OTHER'), CSIP13 (@OTHERTYPE = 'SOFTWARE') "
    "and CSIP16 (mets:note[@csip:NOTETYPE='SOFTWARE VERSION']) in the context "
    "/mets:mets/mets:metsHdr/mets:agent[@ROLE = 'CREATOR'], i.e. on every CREATOR agent. "
    "CSIP10 says \"A mandatory agent element records the software used to create the "
    "package. Other uses of agents may be described in any local implementations that "
    "extend the profile.\" and SIP 2.1.0 is such an extension: SIP16 \"The role of the "
    "person(s) or institution(s) responsible for creating and/or submitting the package.\", "
    "SIP17 \"The type of the submitting agent is \"ORGANIZATION\" or \"INDIVIDUAL\".\", "
    "shown in metsHdrAgentExample2 as <mets:agent ROLE=\"CREATOR\" TYPE=\"ORGANIZATION\">. "
    "Excused only while the separate software agent CSIP10-CSIP16 ask for is there."
)


@dataclass(frozen=True)
class Exemption:
    """An error eark-validator 1.1.3 reports wrongly: its rule, the elements it is excused
    on (an XPath on the root METS.xml, prefixes as in NS), and why."""

    rule: str
    xpath: str
    reason: str


EXEMPTIONS = (
    Exemption(
        "SIP14",
        "/mets:mets/mets:metsHdr/mets:agent[@ROLE='CREATOR']"
        "/mets:note[@csip:NOTETYPE and not(@NOTETYPE)]",
        _WHY_SIP14,
    ),
    *(
        Exemption(
            rule,
            f"/mets:mets/mets:metsHdr[{_SOFTWARE_AGENT}]"
            "/mets:agent[@ROLE='CREATOR' and (@TYPE='ORGANIZATION' or @TYPE='INDIVIDUAL')]",
            _WHY_CREATOR,
        )
        for rule in ("CSIP12", "CSIP13", "CSIP16")
    ),
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


def judge(findings: list[dict[str, str]], tree: Any) -> dict[str, Any]:
    """EXEMPTIONS applied to the findings for the root METS `tree` (see the docstring)."""
    expected = {
        (exemption.rule, tree.getpath(node)): exemption
        for exemption in EXEMPTIONS
        for node in tree.xpath(exemption.xpath, namespaces=NS)
    }
    exempted, unexpected, seen = [], [], set()
    for finding in findings:
        key = (finding["rule_id"], finding["location"])
        severity = finding["severity"]
        if severity in ("ERROR", "UNKNOWN"):
            exemption = expected.get(key) if finding["source"] == "schematron" else None
            if exemption is None:
                unexpected.append(finding)
            else:
                exempted.append({**finding, "why": exemption.reason})
                seen.add(key)
        elif severity == "WARNING" and finding["rule_id"] not in WARNINGS_ACCEPTED:
            unexpected.append(finding)
    unused = [{"rule_id": r, "location": loc} for r, loc in expected if (r, loc) not in seen]
    return {"exempted": exempted, "unexpected": unexpected, "unused": unused}


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
    try:
        tree = etree.parse(str(package / "METS.xml"))
    except etree.XMLSyntaxError:
        tree = etree.ElementTree(etree.Element("unreadable"))  # no exemption applies
    if report.metadata:
        result["schema"] = report.metadata.schema_results.status.value
        result["schematron"] = report.metadata.schematron_results.status.value
        findings += [_finding(m, "schema") for m in report.metadata.schema_results.messages]
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

    result["valid"] = report.is_valid  # the validator's own verdict, for the record
    result["findings"] = findings
    result.update(judge(findings, tree))
    result["accepted"] = (
        result["structure"] == "WellFormed"
        and result["schema"] == "VALID"
        and not result["unexpected"]
        and not result["unused"]
    )
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
    return 0 if result["accepted"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
