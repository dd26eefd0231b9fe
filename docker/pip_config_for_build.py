"""The host's pip settings that also hold inside an image build, as a pip.conf for a build secret.

Reads `pip config list` (files and PIP_* variables, merged as pip merges them) on stdin and
writes the settings that say how to reach a package index over the network: index URLs,
trusted hosts, proxy, timeouts. Paths on the host (find-links, constraint files, file://
indexes) do not exist inside the build, so they are left out; the certificate bundle pip
trusts goes in as a secret of its own, at the path given with --cert.
Usage: python3 -m pip config list | python3 docker/pip_config_for_build.py [--cert PATH]
       python3 -m pip config list | python3 docker/pip_config_for_build.py --print-host-cert
"""

import argparse
import configparser
import sys

NETWORK_SETTINGS = ("index-url", "extra-index-url", "trusted-host", "proxy", "timeout", "retries")
# PIP_DEFAULT_TIMEOUT is the timeout's other name; pip reads both.
ALIASES = {"default-timeout": "timeout"}
INDEX_SETTINGS = ("index-url", "extra-index-url")


def parse_config_list(text: str) -> dict[tuple[str, str], str]:
    """`global.timeout='60'` and `:env:.timeout='60'` lines as {(section, name): value}."""
    from_files: dict[tuple[str, str], str] = {}
    from_variables: dict[tuple[str, str], str] = {}
    for line in text.splitlines():
        key, equals, quoted = line.partition("=")
        if not equals:
            continue
        section, _, name = key.rpartition(".")
        # PIP_* variables apply everywhere, as [global] does, and win over files, as in pip.
        found_in = from_variables if section == ":env:" else from_files
        section = "global" if section in ("", ":env:") else section
        found_in[(section, ALIASES.get(name, name))] = quoted.strip().strip("'\"")
    return from_files | from_variables


def reachable_from_a_build(name: str, value: str) -> str:
    """The value with what only the host can reach removed; empty when nothing is left."""
    if name not in INDEX_SETTINGS:
        return value
    urls = value.split()
    return " ".join(url for url in urls if url.startswith(("http://", "https://")))


def host_cert(text: str) -> str:
    """The certificate bundle the host's pip trusts, as [global] or PIP_CERT sets it."""
    return parse_config_list(text).get(("global", "cert"), "")


def build_config(text: str, cert: str | None = None) -> configparser.ConfigParser:
    config = configparser.ConfigParser(interpolation=None)
    for (section, name), value in sorted(parse_config_list(text).items()):
        kept = reachable_from_a_build(name, value) if name in NETWORK_SETTINGS else ""
        if kept:
            if not config.has_section(section):
                config.add_section(section)
            config.set(section, name, kept)
    if cert:
        if not config.has_section("global"):
            config.add_section("global")
        config.set("global", "cert", cert)
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cert", help="where the build mounts the host's certificate bundle")
    parser.add_argument("--print-host-cert", action="store_true", help="print it and exit")
    args = parser.parse_args(argv)
    text = sys.stdin.read()
    if args.print_host_cert:
        print(host_cert(text))
    else:
        build_config(text, args.cert).write(sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
