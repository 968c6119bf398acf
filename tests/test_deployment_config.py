"""`oor server init` writes a worker deployment an administrator can install as is."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
import yaml

from app.cli import main
from app.core import keeper_env

GOOD = [
    "--postgres",
    "postgresql://synapse:s3cret@db.internal:5433/synapse",
    "--redis",
    "redis://:redispw@127.0.0.1:6380/2",
    "--public-url",
    "https://matrix.mfa.example/",
]


def _init(tmp_path: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(tmp_path / "app"), "server", "init", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_init_writes_main_workers_nginx_and_systemd(tmp_path: Path, capsys) -> None:
    root = tmp_path / "deploy"
    code, out, err = _init(tmp_path, capsys, str(root), *GOOD, "--workers", "3", "--json")
    assert code == 0, err
    reply = json.loads(out)
    assert reply["server_name"] == "matrix.mfa.example"
    assert set(reply["processes"]) == {
        "main",
        "client1",
        "client2",
        "client3",
        "event_persister1",
        "media1",
    }

    shared = _yaml(root / "synapse" / "homeserver.yaml")
    assert shared["public_baseurl"] == "https://matrix.mfa.example/"
    assert shared["database"]["name"] == "psycopg2"
    assert (
        shared["database"]["args"].items()
        >= {
            "user": "synapse",
            "password": "s3cret",
            "host": "db.internal",
            "port": 5433,
            "dbname": "synapse",
        }.items()
    )
    assert shared["redis"] == {
        "enabled": True,
        "host": "127.0.0.1",
        "port": 6380,
        "dbid": 2,
        "password": "redispw",
    }
    assert shared["stream_writers"] == {"events": ["event_persister1"]}
    assert set(shared["instance_map"]) == {"main", "event_persister1"}
    assert shared["enable_media_repo"] is False
    # Federation closed: no federation listener anywhere, an empty whitelist.
    assert shared["federation_domain_whitelist"] == []
    assert shared["trusted_key_servers"] == []
    assert shared["rc_message"]["per_second"] >= 10  # a surge is not throttled like spam
    # Every listener is on loopback; only nginx faces the network.
    listeners = list(shared["listeners"])
    for name in ("client1", "client2", "client3", "event_persister1", "media1"):
        worker = _yaml(root / "synapse" / "workers" / f"{name}.yaml")
        assert worker["worker_name"] == name
        listeners += worker["worker_listeners"]
    assert all(listener["bind_addresses"] == ["127.0.0.1"] for listener in listeners)
    names = {n for listener in listeners for r in listener["resources"] for n in r["names"]}
    assert "federation" not in names
    # Secrets are for the service user only.
    for secret in ("synapse/homeserver.yaml", "synapse/signing.key"):
        assert stat.S_IMODE((root / secret).stat().st_mode) == 0o600

    # nginx sends sync and sends to the client workers, uploads to the media worker.
    upstreams = (root / "nginx" / "oor-upstreams.conf").read_text()
    sync_pool = re.search(r"upstream oor_sync \{(.*?)\}", upstreams, re.S).group(1)
    client_ports = {reply["processes"][f"client{i}"]["http"] for i in (1, 2, 3)}
    assert {int(p) for p in re.findall(r"server 127\.0\.0\.1:(\d+);", sync_pool)} == client_ports
    media_pool = re.search(r"upstream oor_media \{(.*?)\}", upstreams, re.S).group(1)
    assert str(reply["processes"]["media1"]["http"]) in media_pool
    locations = (root / "nginx" / "oor-locations.conf").read_text()
    assert locations.index('"^/_matrix/media/"') < locations.index(
        '"^/_matrix/client/(r0|v3)/sync$"'
    )
    claim_block = locations.split('/keys/claim$" {', 1)[1].split("}", 1)[0]
    assert "limit_req zone=oor_key_claims" in claim_block  # claims never overlap

    units = sorted(p.name for p in (root / "systemd").iterdir())
    assert units == [
        "oor-keeper.service",
        "oor-synapse-client1.service",
        "oor-synapse-client2.service",
        "oor-synapse-client3.service",
        "oor-synapse-event-persister1.service",
        "oor-synapse-main.service",
        "oor-synapse-media1.service",
        "open-operations-room.target",
    ]
    worker_unit = (root / "systemd" / "oor-synapse-client1.service").read_text()
    assert "After=oor-synapse-main.service" in worker_unit
    assert "synapse.app.generic_worker" in worker_unit
    assert f"--config-path={root / 'synapse' / 'workers' / 'client1.yaml'}" in worker_unit


def test_init_refuses_to_overwrite_a_deployment(tmp_path: Path, capsys) -> None:
    root = tmp_path / "deploy"
    assert _init(tmp_path, capsys, str(root), *GOOD)[0] == 0
    before = (root / "synapse" / "homeserver.yaml").read_bytes()
    code, _, err = _init(tmp_path, capsys, str(root), *GOOD)
    assert code == 2
    assert "already holds a deployment" in err
    assert (root / "synapse" / "homeserver.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--postgres", "mysql://u@h/db", "must start with postgresql://"),
        ("--postgres", "postgresql://db.internal/synapse", "lacks the user"),
        ("--postgres", "postgresql://u@db.internal:port/synapse", "bad port"),
        ("--redis", "redis://127.0.0.1/cache", "Redis databases are numbers"),
        ("--redis", "127.0.0.1:6379", "must start with redis://"),
        ("--public-url", "matrix.mfa.example", "must start with https:// or http://"),
        ("--public-url", "https://matrix.mfa.example/?x=1", "just scheme, host"),
        ("--workers", "0", "--workers must be between 1"),
        ("--first-port", "-5", "first port must be between 1 and 65535"),
        ("--keeper-db", "mysql://keeper@db/records", "must be a postgresql:// URL"),
        ("--keeper-user", "records", "not a user id"),
    ],
)
def test_bad_arguments_get_a_sentence_and_write_nothing(
    tmp_path: Path, capsys, option: str, value: str, says: str
) -> None:
    args = dict(zip(GOOD[::2], GOOD[1::2], strict=True)) | {"--keeper-user": "@r:mfa.example"}
    args[option] = value
    flat = [item for pair in args.items() for item in pair]
    code, _, err = _init(tmp_path, capsys, str(tmp_path / "deploy"), *flat)
    assert code == 2
    assert says in err
    assert "Traceback" not in err
    assert not (tmp_path / "deploy").exists()


def test_init_writes_the_keepers_environment_file_the_keeper_reads(tmp_path: Path, capsys) -> None:
    root = tmp_path / "deploy"
    assert _init(tmp_path, capsys, str(root), *GOOD)[0] == 0
    env_file = root / "keeper.env"
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600  # the database URL has a password
    settings = keeper_env.keeper_env(env_file, environ={})
    assert settings == keeper_env.KeeperEnv(
        db=keeper_env.DB_PLACEHOLDER,
        homeserver="https://matrix.mfa.example/",
        user="@records:matrix.mfa.example",
        data_dir=str(root / "keeper"),
    )
    unit = (root / "systemd" / "oor-keeper.service").read_text()
    assert f"EnvironmentFile={env_file}\n" in unit
    assert f"--data-dir {settings.data_dir} keeper run" in unit
    assert "Environment=OOR_CREDENTIALS=file\n" in unit  # where `oor keeper login` put it

    # Until the records office's URL replaces the placeholder, the keeper says so.
    assert main(["keeper", "mark", "!s:mfa.example", "--env-file", str(env_file)]) == 2
    err = capsys.readouterr().err
    assert f"OOR_KEEPER_DB in {env_file} is still the placeholder" in err
    assert "Traceback" not in err


def test_the_keeper_reaches_the_database_its_generated_file_names(
    tmp_path: Path, capsys, records_db: str
) -> None:
    root = tmp_path / "deploy"
    extra = ["--keeper-db", records_db, "--keeper-user", "@keeper:mfa.example"]
    assert _init(tmp_path, capsys, str(root), *GOOD, *extra)[0] == 0
    settings = keeper_env.load(root / "keeper.env")
    assert settings[keeper_env.DB] == records_db
    assert settings[keeper_env.USER] == "@keeper:mfa.example"
    # The records database answers: the session is simply not one it has archived yet.
    env_file = str(root / "keeper.env")
    assert main(["keeper", "hold", "!s:mfa.example", "--reason", "x", "--env-file", env_file]) == 2
    assert "not a session the keeper has archived" in capsys.readouterr().err
