"""htmx and its SSE extension: pinned by package-lock.json, served from node_modules, no CDN."""

import json
import logging

from core.settings import PROJECT_ROOT
from tests.web.page_client import browser

SCRIPTS = {
    "/static/vendor/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "/static/vendor/sse.js": "htmx-ext-sse/dist/sse.js",
}


def test_the_lock_file_pins_each_package_to_an_exact_version_and_checksum():
    lock = json.loads((PROJECT_ROOT / "package-lock.json").read_text())["packages"]
    for name, version in {"htmx.org": "2.0.11", "htmx-ext-sse": "2.2.4"}.items():
        assert lock[""]["dependencies"][name] == version
        assert lock[f"node_modules/{name}"]["version"] == version
        assert lock[f"node_modules/{name}"]["integrity"].startswith("sha512-")


async def test_htmx_and_the_sse_extension_are_served_from_node_modules(settings):
    async with browser(settings) as web:
        for url, installed in SCRIPTS.items():
            script = await web.get(url)
            assert script.status_code == 200
            assert script.headers["content-type"].startswith("text/javascript")
            assert script.content
            assert script.content == (settings.assets_dir / installed).read_bytes()


async def test_only_the_pinned_scripts_are_served(settings):
    async with browser(settings) as web:
        for url in ("/static/vendor/htmx.js", "/static/vendor/..%2Fpackage.json"):
            assert (await web.get(url)).status_code == 404


async def test_pages_load_the_scripts_from_this_site_only(settings):
    async with browser(settings) as web:
        page = (await web.get("/")).text
    for url in SCRIPTS:
        assert f'<script src="{url}" defer></script>' in page
    assert "://" not in "".join(line for line in page.splitlines() if "<script" in line)


async def test_without_node_modules_the_web_starts_and_says_to_run_make_install(
    settings, tmp_path, caplog
):
    empty = settings.model_copy(update={"assets_dir": tmp_path})
    with caplog.at_level(logging.ERROR, logger="web.assets"):
        async with browser(empty) as web:
            page = await web.get("/")
            script = await web.get("/static/vendor/htmx.min.js")
    assert page.status_code == 200
    assert script.status_code == 404
    errors = [record.getMessage() for record in caplog.records if record.name == "web.assets"]
    assert len(errors) == 1
    assert "make install" in errors[0] and "npm ci" in errors[0]
