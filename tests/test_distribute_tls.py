"""Plain SMTP, STARTTLS and SMTPS, chosen explicitly, against a real aiosmtpd server.

The TLS servers have a certificate for 127.0.0.1 and localhost from a CA made in the test;
beslutsgen trusts it only through the profile's `ca_fil`. A server that cannot be used as
configured (no STARTTLS where the profile asks for it, a certificate that does not
verify) is one configuration error, exit 3, with nothing marked sent; a run with the
setting fixed sends everything exactly once.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives.serialization import Encoding

from beslutsgen.cli import main
from beslutsgen.distribute import expediering as distribution
from beslutsgen.distribute.mail import PASSWORD_VARIABLE, USER_VARIABLE, Mailer, Misconfigured
from tests.conftest import DECISIONS, ROOT
from tests.smtp_server import HOST, SmtpServer, TestCa, free_port
from tests.test_distribute import (
    LOG,
    PLAN,
    POST,
    SAMPLE,
    distribute,
    log_entries,
    position,
    row,
    table,
    untimed,
    write_profile,
)

NOT_VERIFIED = (
    "fel: {where}: serverns certifikat godtas inte ({why}); har servern ett internt "
    "certifikat, ange dess CA med ca_fil under expediering.smtp i beslutsgen.yaml, och "
    "använd det värdnamn som certifikatet gäller för\n"
)
NO_STARTTLS = (
    "fel: {where} erbjuder inte STARTTLS, som expediering.smtp kräver; ändra "
    "expediering.smtp i beslutsgen.yaml (värd, port eller tls) eller använd "
    "--smtp smtp://{where} för ett lokalt relä utan TLS\n"
)
UNKNOWN_ISSUER = "unable to get local issuer certificate"


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(USER_VARIABLE, raising=False)
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)


@pytest.fixture
def ca() -> TestCa:
    return TestCa.make()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ca: TestCa) -> Path:
    """The sample project with the test CA beside it (ca.pem, ca.der); the profile's smtp
    is still the sample's (smtp.regionjh.example:587, STARTTLS) until a test sets it."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(DECISIONS, root / "decisions")
    shutil.copy(ROOT / "beslutsgen.yaml", root / "beslutsgen.yaml")
    (root / "pki").mkdir()
    ca.write(root / "pki" / "ca.pem", Encoding.PEM)
    ca.write(root / "pki" / "ca.der", Encoding.DER)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def plain() -> Iterator[SmtpServer]:
    """No TLS, and no STARTTLS offered."""
    with SmtpServer() as running:
        yield running


@pytest.fixture
def starttls(tmp_path: Path, ca: TestCa) -> Iterator[SmtpServer]:
    """STARTTLS offered, with a certificate for 127.0.0.1 and localhost from `ca`."""
    with SmtpServer(tls=ca.server_context(tmp_path)) as running:
        yield running


@pytest.fixture
def smtps(tmp_path: Path, ca: TestCa) -> Iterator[SmtpServer]:
    """TLS from the first byte, the same certificate."""
    with SmtpServer(tls=ca.server_context(tmp_path), implicit_tls=True) as running:
        yield running


def assert_everyone_once(smtp: SmtpServer, project: Path, tls: bool) -> None:
    """Every recipient got one message, over TLS or not; the log has them all as sent."""
    assert Counter(got.rcpt_tos for got in smtp.received) == Counter(
        (who.address,) for who in PLAN
    )
    assert {got.tls for got in smtp.received} == {tls}
    assert [(e.address, e.state) for e in log_entries(project)] == [
        *((who.address, "sent") for who in PLAN),
        (POST.address, "sent"),
    ]


def assert_nothing_went(smtp: SmtpServer, project: Path) -> None:
    assert smtp.received == []
    assert log_entries(project) == []  # nothing pending, nothing sent
    assert not (project / "out").exists()  # no print bundle, no expedieringslista


# --- plain SMTP ------------------------------------------------------------------------------


def test_smtp_url_sends_without_tls_whatever_the_profile_says(
    project: Path, plain: SmtpServer
) -> None:
    """The profile asks for STARTTLS from smtp.regionjh.example; smtp:// is a local relay
    that speaks plain SMTP."""
    result = distribute("--smtp", f"smtp://{HOST}:{plain.port}")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_everyone_once(plain, project, tls=False)


def test_tls_ingen_in_the_profile_sends_without_tls(project: Path, plain: SmtpServer) -> None:
    write_profile(project, f"  smtp: {{värd: {HOST}, port: {plain.port}, tls: ingen}}\n")
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_everyone_once(plain, project, tls=False)


# --- STARTTLS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "ca_file"),
    [("tls: starttls", "pki/ca.pem"), ("starttls: true", "pki/ca.der"), ("", "pki/ca.pem")],
    ids=["tls-starttls-pem", "legacy-starttls-der", "default"],
)
def test_starttls_trusting_the_ca_file(
    project: Path, starttls: SmtpServer, monkeypatch: pytest.MonkeyPatch, mode: str, ca_file: str
) -> None:
    """A real TLS handshake after STARTTLS; the certificate verifies through ca_fil (PEM or
    DER) and the host name 127.0.0.1 is in it. The login goes inside TLS."""
    mode = f"{mode}, " if mode else ""
    write_profile(
        project, f"  smtp: {{värd: {HOST}, port: {starttls.port}, {mode}ca_fil: {ca_file}}}\n"
    )
    monkeypatch.setenv(USER_VARIABLE, "sekretariatet")
    monkeypatch.setenv(PASSWORD_VARIABLE, "hemligt-123")
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_everyone_once(starttls, project, tls=True)
    assert starttls.logins == [("sekretariatet", "hemligt-123")]


def test_starttls_without_the_ca_file_is_refused_once(
    project: Path, starttls: SmtpServer
) -> None:
    """The same server, but nothing says to trust its CA: one configuration error, not a
    failure per recipient; nothing is marked sent. With ca_fil, everything goes once."""
    line = f"  smtp: {{värd: {HOST}, port: {starttls.port}, tls: starttls}}\n"
    write_profile(project, line)
    result = distribute()
    assert result.exit_code == 3
    where = f"{HOST}:{starttls.port}"
    assert result.stderr == NOT_VERIFIED.format(where=where, why=UNKNOWN_ISSUER)
    assert result.stdout == ""
    assert_nothing_went(starttls, project)

    write_profile(project, line.replace("tls: starttls", "tls: starttls, ca_fil: pki/ca.pem"))
    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert_everyone_once(starttls, project, tls=True)
    assert untimed(table(again)[0]) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]


def test_a_certificate_for_another_host_name_is_refused_once(
    project: Path, tmp_path: Path, ca: TestCa
) -> None:
    """The CA is trusted, but the certificate names only localhost: connecting to
    127.0.0.1 fails the host name check."""
    context = ca.server_context(tmp_path, names=("localhost",))
    with SmtpServer(tls=context) as smtp:
        write_profile(
            project, f"  smtp: {{värd: {HOST}, port: {smtp.port}, ca_fil: pki/ca.pem}}\n"
        )
        result = distribute()
        assert result.exit_code == 3
        why = f"IP address mismatch, certificate is not valid for '{HOST}'."
        assert result.stderr == NOT_VERIFIED.format(where=f"{HOST}:{smtp.port}", why=why)
        assert_nothing_went(smtp, project)
        # By the name in the certificate it goes.
        write_profile(
            project, f"  smtp: {{värd: localhost, port: {smtp.port}, ca_fil: pki/ca.pem}}\n"
        )
        again = distribute()
        assert (again.exit_code, again.stderr) == (0, ""), again.output
        assert_everyone_once(smtp, project, tls=True)


def test_starttls_required_but_not_offered_is_one_configuration_error(
    project: Path, plain: SmtpServer
) -> None:
    """The profile asks for STARTTLS and the server does not offer it: said once, with
    the setting to change; nothing sent, nothing pending; a plain run then sends all once."""
    write_profile(project, f"  smtp: {{värd: {HOST}, port: {plain.port}, starttls: true}}\n")
    result = distribute()
    assert result.exit_code == 3
    assert result.stderr == NO_STARTTLS.format(where=f"{HOST}:{plain.port}")
    assert result.stdout == ""
    assert_nothing_went(plain, project)

    again = distribute("--smtp", f"smtp://{HOST}:{plain.port}")
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert_everyone_once(plain, project, tls=False)


def test_smtp_option_without_scheme_keeps_the_profiles_starttls(
    project: Path, plain: SmtpServer
) -> None:
    """--smtp HOST:PORT changes the server, not the mode: the sample profile's STARTTLS."""
    result = distribute("--smtp", f"{HOST}:{plain.port}")
    assert result.exit_code == 3
    assert result.stderr == NO_STARTTLS.format(where=f"{HOST}:{plain.port}")
    assert_nothing_went(plain, project)


def test_a_misconfiguration_on_reconnecting_leaves_nothing_pending(
    project: Path, starttls: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the server stop verifying after some messages went (the connection is opened
    again after a refusal), the message in hand is logged as failed, not left pending,
    and the next run sends it and the rest, once each."""
    write_profile(
        project, f"  smtp: {{värd: {HOST}, port: {starttls.port}, ca_fil: pki/ca.pem}}\n"
    )
    calls: list[str] = []
    send = Mailer.send

    def send_until_third(self: Mailer, message: object, sender: str, recipient: str) -> None:
        calls.append(recipient)
        if len(calls) == 3:
            raise Misconfigured("servern ändrade sig")
        send(self, message, sender, recipient)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(Mailer, "send", send_until_third)
        result = distribute()
    assert result.exit_code == 3
    assert result.stderr == "fel: servern ändrade sig\n"
    assert [(e.address, e.state) for e in log_entries(project)] == [
        (PLAN[0].address, "sent"),
        (PLAN[1].address, "sent"),
        (PLAN[2].address, "failed"),
    ]
    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert Counter(got.rcpt_tos for got in starttls.received) == Counter(
        (who.address,) for who in PLAN
    )
    assert {e.state for e in log_entries(project)} == {"sent"}  # the failed one went too
    assert untimed(table(again)[0]) == [
        *(row(who, "skickat") for who in PLAN),
        row(POST, "utskrivet för post"),
    ]


# --- SMTPS (TLS from the first byte) ----------------------------------------------------------


def test_smtps_url_with_the_profiles_ca_file(project: Path, smtps: SmtpServer) -> None:
    write_profile(
        project, "  smtp: {värd: smtp.regionjh.example, starttls: true, ca_fil: pki/ca.pem}\n"
    )
    result = distribute("--smtp", f"smtps://{HOST}:{smtps.port}")
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_everyone_once(smtps, project, tls=True)


def test_tls_smtps_in_the_profile(project: Path, smtps: SmtpServer) -> None:
    write_profile(
        project,
        f"  smtp: {{värd: {HOST}, port: {smtps.port}, tls: smtps, ca_fil: pki/ca.der}}\n",
    )
    result = distribute()
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert_everyone_once(smtps, project, tls=True)


def test_smtps_without_the_ca_file_is_refused_once(project: Path, smtps: SmtpServer) -> None:
    result = distribute("--smtp", f"smtps://{HOST}:{smtps.port}")
    assert result.exit_code == 3
    where = f"{HOST}:{smtps.port}"
    assert result.stderr == NOT_VERIFIED.format(where=where, why=UNKNOWN_ISSUER)
    assert_nothing_went(smtps, project)


def test_smtps_to_a_plain_server_is_one_configuration_error(
    project: Path, plain: SmtpServer
) -> None:
    result = distribute("--smtp", f"smtps://{HOST}:{plain.port}")
    assert result.exit_code == 3
    assert result.stderr == (
        f"fel: {HOST}:{plain.port}: TLS-förhandlingen misslyckades (WRONG_VERSION_NUMBER); "
        "stämmer tls under expediering.smtp i beslutsgen.yaml (eller --smtp) med serverns "
        "port: smtps för TLS från början (465), starttls för 587?\n"
    )
    assert_nothing_went(plain, project)


def test_an_unreachable_tls_server_is_still_a_failure_per_message(project: Path) -> None:
    """Nobody listening is not a configuration error: run again when the server is up."""
    closed = free_port()
    result = distribute("--smtp", f"smtps://{HOST}:{closed}")
    assert result.exit_code == 3
    assert result.stderr == (
        f"{len(PLAN)} meddelande(n) gick inte fram; kör igen när servern svarar; det som "
        "gått fram skickas inte igen.\n"
    )
    reason = f"misslyckades: servern: {HOST}:{closed}: anslutningen nekades (är servern igång?)"
    assert untimed(table(result)[0]) == [
        *(row(who, reason) for who in PLAN),
        row(POST, "utskrivet för post"),
    ]


# --- the settings -------------------------------------------------------------------------------


def refused(result: Result, lines: list[str]) -> None:
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [*lines, "1 problem i 1 fil(er); inget skrevs."]
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("pki/saknas.pem", "CA-filen 'pki/saknas.pem' finns inte (sökt som {root}/pki/saknas.pem)"),
        ("pki", "CA-filen 'pki' kan inte läsas (Is a directory)"),
        ("logo.png", "CA-filen 'logo.png' innehåller inget certifikat i PEM eller DER"),
        ("pki/key.pem", "CA-filen 'pki/key.pem' innehåller inget certifikat i PEM eller DER"),
        ("pki/tom.pem", "CA-filen 'pki/tom.pem' innehåller inget certifikat i PEM eller DER"),
    ],
    ids=["missing", "directory", "png", "key-only", "empty"],
)
def test_a_bad_ca_file_is_refused_where_it_is_named(
    project: Path, plain: SmtpServer, value: str, message: str
) -> None:
    shutil.copy(ROOT / "logo.png", project / "logo.png")
    (project / "pki" / "key.pem").write_text(
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"
    )
    (project / "pki" / "tom.pem").write_bytes(b"")
    smtp_line = f"  smtp: {{värd: {HOST}, port: {plain.port}, ca_fil: {value}}}\n"
    text = write_profile(project, smtp_line)
    line, col = position(text, f"ca_fil: {value}")
    where = f"beslutsgen.yaml:{line}:{col + len('ca_fil: ')}"  # at the value
    refused(
        distribute(),
        [f"{where}: expediering.smtp.ca_fil: {message.format(root=project.resolve())}"],
    )
    assert plain.received == []


def test_tls_and_starttls_together_are_refused(project: Path, plain: SmtpServer) -> None:
    text = write_profile(
        project, f"  smtp: {{värd: {HOST}, port: {plain.port}, tls: ingen, starttls: false}}\n"
    )
    line, col = position(text, "{värd")
    refused(
        distribute(),
        [
            f"beslutsgen.yaml:{line}:{col}: expediering.smtp: skriv tls eller starttls, inte "
            "båda (starttls: true är tls: starttls, starttls: false är tls: ingen)"
        ],
    )


def test_an_unknown_tls_mode_is_refused(project: Path, plain: SmtpServer) -> None:
    text = write_profile(project, f"  smtp: {{värd: {HOST}, port: {plain.port}, tls: ssl}}\n")
    line, col = position(text, "ssl}")
    result = distribute()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"beslutsgen.yaml:{line}:{col}: expediering.smtp.tls: ska vara 'starttls', 'smtps' "
        "eller 'ingen', inte 'ssl'",
        "1 problem i 1 fil(er); inget skrevs.",
    ]
    assert result.stdout == ""


USAGE = "Error: Invalid value for --smtp: {}"
FORMS = "skriv HOST:PORT, smtp://HOST:PORT (utan TLS) eller smtps://HOST:PORT (TLS)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("127.0.0.1", f"'127.0.0.1': {FORMS}"),
        ("127.0.0.1:", f"'127.0.0.1:': {FORMS}"),
        (":25", f"':25': {FORMS}"),
        ("smtp://127.0.0.1", f"'smtp://127.0.0.1': {FORMS}"),
        ("smtp://127.0.0.1:25/", f"'smtp://127.0.0.1:25/': {FORMS}"),
        ("127.0.0.1:smtp", f"'127.0.0.1:smtp': {FORMS}"),
        ("::1:25", f"'::1:25': {FORMS}"),
        ("127.0.0.1:70000", "'127.0.0.1:70000': porten ska vara 1–65535"),
        ("127.0.0.1:0", "'127.0.0.1:0': porten ska vara 1–65535"),
        (
            "starttls://127.0.0.1:587",
            f"'starttls://127.0.0.1:587': okänt schema starttls://; {FORMS}",
        ),
        ("http://127.0.0.1:25", f"'http://127.0.0.1:25': okänt schema http://; {FORMS}"),
        (
            "smtp://kansli:hemligt@127.0.0.1:25",
            "'smtp://kansli:hemligt@127.0.0.1:25': inloggningen hör inte hemma i --smtp; "
            "sätt BESLUTSGEN_SMTP_USER och BESLUTSGEN_SMTP_PASSWORD",
        ),
    ],
)
def test_a_bad_smtp_option_is_a_usage_error(
    project: Path, plain: SmtpServer, value: str, message: str
) -> None:
    result = distribute("--smtp", value)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == USAGE.format(message)
    assert result.stdout == ""
    assert not (project / LOG).exists()
    assert not (project / "out").exists()


@pytest.mark.parametrize(
    "value", ["smtp://[::1]:25", "SMTPS://127.0.0.1:465", "[::1]:25", "localhost:2525"]
)
def test_good_smtp_options_are_understood(value: str) -> None:
    from beslutsgen.cli.expediering import smtp_server as _server

    host, _, port = value.rpartition(":")
    host = host.rpartition("/")[2].strip("[]")
    scheme = value.partition("://")[0].lower() if "://" in value else None
    assert _server(value) == (host, int(port), scheme)


# --- the library reads no environment -----------------------------------------------------------


def test_the_library_reads_no_credentials_from_the_environment(
    project: Path, plain: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the command line reads BESLUTSGEN_SMTP_USER/PASSWORD; called directly, the
    library logs in with what it is given, and with nothing when given nothing."""
    write_profile(project, f"  smtp: {{värd: {HOST}, port: {plain.port}, tls: ingen}}\n")
    monkeypatch.setenv(USER_VARIABLE, "från-miljön")
    monkeypatch.setenv(PASSWORD_VARIABLE, "x")
    sent_at = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    run, _ = distribution.run(
        project / SAMPLE,
        project,
        project / "out",
        project / LOG,
        distribution.Options(),
        lambda: sent_at,
    )
    assert len(run.outcome.sent) == len(PLAN) + 1
    assert plain.logins == []
    assert distribution.Options(login=("kansli", "hemligt")).__repr__().count("hemligt") == 0


def test_the_help_names_the_forms() -> None:
    result = CliRunner().invoke(main, ["distribute", "--help"])
    assert result.exit_code == 0
    assert "--smtp [smtp://|smtps://]HOST:PORT" in result.output


def test_a_refused_login_is_one_configuration_error(
    project: Path, starttls: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """535 at login is the credentials, not the server being busy: said once, naming the
    variables to check; nothing sent, nothing pending; the right password then sends all."""
    starttls.password = "rätt-lösenord"
    write_profile(
        project, f"  smtp: {{värd: {HOST}, port: {starttls.port}, ca_fil: pki/ca.pem}}\n"
    )
    monkeypatch.setenv(USER_VARIABLE, "sekretariatet")
    monkeypatch.setenv(PASSWORD_VARIABLE, "fel-lösenord")
    result = distribute()
    assert result.exit_code == 3
    assert result.stderr == (
        f"fel: {HOST}:{starttls.port}: inloggningen nekades (535); kontrollera "
        "BESLUTSGEN_SMTP_USER och BESLUTSGEN_SMTP_PASSWORD\n"
    )
    assert_nothing_went(starttls, project)
    monkeypatch.setenv(PASSWORD_VARIABLE, "rätt-lösenord")
    again = distribute()
    assert (again.exit_code, again.stderr) == (0, ""), again.output
    assert_everyone_once(starttls, project, tls=True)
