"""Reaching Temporal: plain for the local stack, TLS (API key or mTLS) for Temporal Cloud."""

import pytest
from pydantic import SecretStr
from temporalio.service import TLSConfig

from core.settings import Settings
from core.temporal_client import connect, tls_config


def test_plain_by_default_and_tls_with_an_api_key_or_when_asked(settings):
    assert tls_config(settings) is False
    assert tls_config(settings.model_copy(update={"temporal_tls": True})) is True
    with_key = settings.model_copy(update={"temporal_api_key": SecretStr("key")})
    assert tls_config(with_key) is True


def test_mtls_reads_the_client_certificate_and_key(settings, tmp_path):
    (tmp_path / "client.pem").write_bytes(b"CERT")
    (tmp_path / "client.key").write_bytes(b"KEY")
    mtls = settings.model_copy(
        update={
            "temporal_tls_cert": tmp_path / "client.pem",
            "temporal_tls_key": tmp_path / "client.key",
        }
    )
    assert tls_config(mtls) == TLSConfig(client_cert=b"CERT", client_private_key=b"KEY")


def test_a_certificate_without_its_key_is_refused_with_a_message(settings, tmp_path):
    half = settings.model_copy(update={"temporal_tls_cert": tmp_path / "client.pem"})
    with pytest.raises(ValueError, match="set both or neither"):
        tls_config(half)


async def test_tls_is_really_used_so_a_plain_server_refuses_the_handshake(settings):
    # The local dev server speaks plain gRPC: a client that really starts TLS cannot connect.
    with pytest.raises(RuntimeError):
        await connect(settings.model_copy(update={"temporal_tls": True}))
    assert await connect(settings)  # the same address, plain, connects


def test_blank_variables_leave_tls_off(monkeypatch):
    # A compose file or .env may pass these through empty.
    for name in ("TEMPORAL_API_KEY", "TEMPORAL_TLS_CERT", "TEMPORAL_TLS_KEY"):
        monkeypatch.setenv(name, "")
    assert tls_config(Settings(_env_file=None)) is False
