"""The command line with a server URL where a new office user put one: each a defect found by
walking through the commands (a password printed in clear, a traceback, a file message for a server)."""

from __future__ import annotations

import pytest

from desktop.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse refusing an argument
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def with_password(url: str, password: str = "秘密pw") -> str:
    return url.replace("zhibu@", f"zhibu:{password}@")


def test_backups_of_a_server_url_says_what_a_server_has(capsys, org_ledger):
    """Was: the URL taken for a file path, 「找不到台账文件：…/postgresql:/user:PASSWORD@…」."""
    code, out, err = run(capsys, "backups", with_password(org_ledger.location))
    assert code == 0, err
    assert "秘密pw" not in out + err
    assert out.splitlines()[0] == f"服务器台账：{with_password(org_ledger.location, '***')}"
    assert "由系统管理员在服务器上备份（pg_dump）" in out and "没有。" in out


@pytest.mark.parametrize("argv", [["restore", "{file}", "{url}"], ["dump", "{url}", "-o", "{url}"],
                                  ["merge", "{file}", "{url}", "--out", "{file}.m"],
                                  ["merge", "{url}", "{file}", "--out", "{file}.m"]])
def test_a_url_where_a_local_file_is_meant_is_refused_without_its_password(capsys, org_ledger, tmp_path, argv):
    """Was: restore into a folder named 「postgresql:」 (password shown), dump -o a traceback, merge
    「找不到台账文件：…postgresql:/zhibu:PASSWORD@…」."""
    file = tmp_path / "x.zhibu"
    file.write_bytes(b"")
    url = with_password(org_ledger.location)
    code, out, err = run(capsys, *[a.format(file=file, url=url) for a in argv])
    assert code == 2
    assert "这里应是本机上的文件，不能是服务器台账地址" in err and "zhibu push" in err
    assert "秘密pw" not in out + err and "Traceback" not in err
    assert not (tmp_path / "postgresql:").exists()


def test_roles_by_a_login_that_cannot_create_roles(capsys, org_ledger, pg_cluster):
    """Was: a traceback (InsufficientPrivilege: permission denied to create role)."""
    pg_cluster.execute("DO $$ BEGIN CREATE ROLE plainowner LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
    pg_cluster.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO plainowner; GRANT CREATE ON SCHEMA public"
                       " TO plainowner", org_ledger.path.name)
    url = org_ledger.location.replace("zhibu@", "plainowner@")
    code, out, err = run(capsys, "roles", url, "--committee", "office2")
    assert code == 2 and "Traceback" not in err
    assert "数据库用户 plainowner 不能设置角色（服务器：permission denied" in err
    assert "CREATEROLE" in err and "什么都没有改变" in err
    with pg_cluster.connect() as conn:
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'office2'").fetchone() is None


def test_check_names_the_server_and_labels_every_table(capsys, org_ledger):
    code, out, err = run(capsys, "check", with_password(org_ledger.location))
    assert code == 0, out + err
    assert out.splitlines()[0] == f"服务器台账：{with_password(org_ledger.location, '***')}"
    assert "probation_event" not in out and "  预备期记录：0" in out


def test_check_of_a_missing_database_names_the_server(capsys, pg_cluster):
    code, out, err = run(capsys, "check", pg_cluster.url("no_such_db", password="秘密pw"))
    assert code == 2
    assert "服务器上没有这个数据库：no_such_db" in out + err and "秘密pw" not in out + err
    assert "postgresql:/zhibu" not in out + err  # not a Path that lost a slash


def test_a_refused_login_on_the_command_line_says_how_to_give_the_password(capsys, org_ledger, pg_cluster):
    hba = pg_cluster.data / "pg_hba.conf"
    line = "local all pwcli scram-sha-256\n"
    if line not in hba.read_text():
        hba.write_text(line + hba.read_text())
    pg_cluster.execute("DO $$ BEGIN CREATE ROLE pwcli LOGIN PASSWORD 'pw'; EXCEPTION WHEN duplicate_object"
                       " THEN NULL; END $$; SELECT pg_reload_conf()")
    code, out, err = run(capsys, "summary", org_ledger.location.replace("zhibu@", "pwcli@"))
    assert code == 2 and "Traceback" not in err
    assert "服务器要求输入用户 pwcli 的密码" in err and "PGPASSWORD" in err


def test_help_says_where_a_server_url_goes(capsys):
    """Was: ``--db FILE`` 「台账文件」 only; summary, precheck, export, demo and load said 「.zhibu」."""
    code, out, _ = run(capsys, "-h")
    assert code == 0 and "--db FILE|URL" in out and "postgresql://" in out
    for cmd in ("summary", "precheck", "export", "demo", "load", "check", "dump", "backups"):
        code, out, _ = run(capsys, cmd, "-h")
        assert code == 0 and "postgresql://" in out.replace("\n", "").replace(" ", ""), cmd


def test_a_password_in_the_url_query_is_never_shown(capsys, org_ledger, pg_cluster):
    """libpq also takes the password as ``?password=…``: hidden like the one before the @ (was
    printed in clear in 「服务器台账：…」 and in every connection message)."""
    def with_query_password(url: str) -> str:
        return url + ("&" if "?" in url else "?") + "password=s3cretpw"

    code, out, err = run(capsys, "check", with_query_password(org_ledger.location))
    assert code == 0, out + err
    assert "s3cretpw" not in out + err and "password=***" in out.splitlines()[0]
    code, out, err = run(capsys, "check", with_query_password(pg_cluster.url("no_such_db")))
    assert code == 2 and "服务器上没有这个数据库：no_such_db" in out + err
    assert "s3cretpw" not in out + err
    from desktop.store.opening import open_ledger
    from desktop.store.serverschema import libpq_target

    with open_ledger(with_query_password(org_ledger.location)) as led:
        target, env = libpq_target(led)  # what pg_dump gets: the password in its environment only
    assert "s3cretpw" not in target and env["PGPASSWORD"] == "s3cretpw" and led.path.name in target
