"""The CoT feed over TLS with client certificates, as a TAK server's SSL streaming port: a pytak peer
with a certificate signed by the mission's CA gets the picture; one without is refused."""

import asyncio
import ssl
from datetime import datetime, timedelta, timezone
from ipaddress import ip_address

import pytest
from aiohttp.test_utils import unused_port
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.interop.tak_peer import TakPeer


def _issue(subject: str, issuer_key, issuer_name, *, ca: bool = False, ip: str | None = None):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(issuer_name or x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ip:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.IPAddress(ip_address(ip))]), critical=False)
    cert = builder.sign(issuer_key or key, hashes.SHA256())
    return key, cert


def _write(directory, name: str, key, cert) -> tuple[str, str]:
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def pki(tmp_path):
    ca_key, ca = _issue("Mission CA", None, None, ca=True)
    server = _write(tmp_path, "server", *_issue("medevac", ca_key, ca.subject, ip="127.0.0.1"))
    client = _write(tmp_path, "client", *_issue("ATAK-1", ca_key, ca.subject))
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return {"ca": str(tmp_path / "ca.pem"), "server": server, "client": client}


async def test_tls_feed_needs_a_client_certificate_from_the_mission_ca(aiohttp_client, make_app, theatre, pki):
    port = unused_port()
    cert, key = pki["server"]
    await aiohttp_client(make_app(cot_port=port, cot_mission=str(theatre["mission"].id), cot_tls_cert=cert,
                                  cot_tls_key=key, cot_tls_ca=pki["ca"]))
    client_cert, client_key = pki["client"]
    peer = await TakPeer.connect(port, "tls", PYTAK_TLS_CLIENT_CERT=client_cert, PYTAK_TLS_CLIENT_KEY=client_key,
                                 PYTAK_TLS_CLIENT_CAFILE=pki["ca"], PYTAK_TLS_DONT_CHECK_HOSTNAME="1")
    try:
        event, _ = await peer.until(lambda e: e.get("type") == "a-f-G-I-X-H")
        assert event.find("detail/contact").get("callsign") == "Bria Level II"
    finally:
        peer.close()

    anonymous = ssl.create_default_context(cafile=pki["ca"])
    anonymous.check_hostname = False
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=anonymous)
    with pytest.raises((ssl.SSLError, ConnectionError, asyncio.IncompleteReadError)):
        data = await asyncio.wait_for(reader.read(1024), 10)  # TLS 1.3: refused after the handshake
        if not data:
            raise ConnectionError("closed without a byte")
    writer.close()
