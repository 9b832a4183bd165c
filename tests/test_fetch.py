"""The HTTP fetcher against a loopback server: limits, SSRF guard, conditional GET, errors."""
from __future__ import annotations

import asyncio
import socket
import gzip
import time
import tracemalloc
import zlib
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from ipaddress import ip_address

import pytest

from feeds import netguard
from feeds.errors import FeedError
from feeds.fetch import Fetcher, FetchPolicy, parse_retry_after
from tests.feedserver import redirect_to, respond, send_stream, status_page

LOCAL = FetchPolicy(allow_private_networks=True)
RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
MiB = 1024 * 1024


async def fetch_error(url: str, policy: FetchPolicy = LOCAL) -> FeedError:
    """The FeedError a fetch raises (fails the test if it succeeds)."""
    async with Fetcher(policy) as fetcher:
        with pytest.raises(FeedError) as caught:
            await fetcher.fetch(url)
    return caught.value


async def test_fetches_a_feed_with_its_headers(feed_server):
    feed_server.add_file("/feed.xml", RSS, headers={"Content-Location": "/feed.xml"})
    async with Fetcher(LOCAL) as fetcher:
        result = await fetcher.fetch(feed_server.url("/feed.xml"))
    assert (result.status, result.body, result.not_modified) == (200, RSS, False)
    assert result.url == feed_server.url("/feed.xml")
    assert result.headers["content-type"].startswith("application/rss+xml")
    assert result.headers["content-location"] == "/feed.xml"
    assert result.headers["etag"] and result.headers["last-modified"]


async def test_user_agent_names_dozor(feed_server):
    feed_server.add_file("/feed.xml", RSS)
    async with Fetcher(LOCAL) as fetcher:
        await fetcher.fetch(feed_server.url("/feed.xml"))
    assert "Dozor" in feed_server.requests[0].headers["user-agent"]


async def test_conditional_get_sends_validators_and_accepts_304(feed_server):
    feed_server.add_file("/feed.xml", RSS)
    async with Fetcher(LOCAL) as fetcher:
        first = await fetcher.fetch(feed_server.url("/feed.xml"))
        second = await fetcher.fetch(
            feed_server.url("/feed.xml"),
            etag=first.headers["etag"],
            last_modified=first.headers["last-modified"],
        )
    assert (second.status, second.body, second.not_modified) == (304, None, True)
    sent = feed_server.requests[1].headers
    assert sent["if-none-match"] == first.headers["etag"]
    assert sent["if-modified-since"] == first.headers["last-modified"]


async def test_connection_is_reused_after_a_304(feed_server):
    feed_server.add_file("/feed.xml", RSS)
    url = feed_server.url("/feed.xml")
    async with Fetcher(LOCAL) as fetcher:
        first = await fetcher.fetch(url)
        for _ in range(3):
            await fetcher.fetch(url, etag=first.headers["etag"], last_modified=first.headers["last-modified"])
    assert len(feed_server.requests) == 4
    assert len({r.client_port for r in feed_server.requests}) == 1  # one connection, not one per poll


async def test_changed_feed_is_fetched_again_despite_old_validators(feed_server):
    feed_server.add_file("/feed.xml", RSS)
    async with Fetcher(LOCAL) as fetcher:
        first = await fetcher.fetch(feed_server.url("/feed.xml"))
        feed_server.add_file("/feed.xml", RSS + b"<!-- new -->", last_modified=None)
        second = await fetcher.fetch(feed_server.url("/feed.xml"), etag=first.headers["etag"])
    assert second.status == 200 and second.body.endswith(b"<!-- new -->")


async def test_follows_relative_redirect_to_final_url(feed_server):
    feed_server.add_file("/new.xml", RSS)
    feed_server.add_handler("/old", redirect_to("/moved", status=301))
    feed_server.add_handler("/moved", redirect_to(feed_server.url("/new.xml"), status=308))
    async with Fetcher(LOCAL) as fetcher:
        result = await fetcher.fetch(feed_server.url("/old"))
    assert result.url == feed_server.url("/new.xml")
    assert result.body == RSS


async def test_redirect_loop_is_refused(feed_server):
    feed_server.add_handler("/a", redirect_to("/b"))
    feed_server.add_handler("/b", redirect_to("/a"))
    error = await fetch_error(feed_server.url("/a"))
    assert error.code == "fetch.redirect_loop"
    assert "/a" in error.message


async def test_more_than_five_redirects_are_refused(feed_server):
    for hop in range(7):
        feed_server.add_handler(f"/r{hop}", redirect_to(f"/r{hop + 1}"))
    feed_server.add_file("/r7", RSS)
    error = await fetch_error(feed_server.url("/r0"))
    assert error.code == "fetch.too_many_redirects"
    assert len(feed_server.requests) == 6  # the first request and five redirects followed


async def test_five_redirects_are_followed(feed_server):
    for hop in range(5):
        feed_server.add_handler(f"/r{hop}", redirect_to(f"/r{hop + 1}"))
    feed_server.add_file("/r5", RSS)
    async with Fetcher(LOCAL) as fetcher:
        assert (await fetcher.fetch(feed_server.url("/r0"))).body == RSS


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml", "gopher://x/"])
async def test_non_http_schemes_are_refused(url):
    error = await fetch_error(url)
    assert error.code == "fetch.bad_scheme"
    assert url in error.message


@pytest.mark.parametrize("url", ["not a url", "/feed.xml", "http://", "http:///feed.xml", "http://[::1/feed", "http://host:port/"])
async def test_malformed_urls_are_refused(url):
    assert (await fetch_error(url)).code == "fetch.bad_url"


async def test_redirect_to_file_url_is_refused(feed_server):
    feed_server.add_handler("/evil", redirect_to("file:///etc/passwd"))
    assert (await fetch_error(feed_server.url("/evil"))).code == "fetch.bad_scheme"


@pytest.mark.parametrize("status", [404, 410, 500])
async def test_http_errors_carry_the_status(feed_server, status):
    feed_server.add_handler("/gone", status_page(status, b"<html>no</html>"))
    error = await fetch_error(feed_server.url("/gone"))
    assert error.code == f"fetch.http_{status}"
    assert feed_server.url("/gone") in error.message
    assert error.retry_at is None


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_in_seconds(feed_server, status):
    feed_server.add_handler("/busy", status_page(status, headers={"Retry-After": "120"}))
    before = datetime.now(timezone.utc)
    error = await fetch_error(feed_server.url("/busy"))
    after = datetime.now(timezone.utc)
    assert error.code == f"fetch.http_{status}"
    assert before + timedelta(seconds=120) <= error.retry_at <= after + timedelta(seconds=120)


async def test_retry_after_as_http_date(feed_server):
    moment = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
    retry_after = {"Retry-After": format_datetime(moment, usegmt=True)}
    feed_server.add_handler("/busy", status_page(429, headers=retry_after))
    error = await fetch_error(feed_server.url("/busy"))
    assert error.code == "fetch.http_429"
    assert error.retry_at == moment and error.retry_at.tzinfo is not None


HOSTILE_RETRY_AFTER = [
    "1e20",
    "99999999999999999999",
    "9" * 5000,  # past Python's limit on the digits int() converts
    "²",  # str.isdigit() says yes, int() says no
    str(365 * 24 * 3600),  # a year
    "Fri, 31 Dec 9999 23:59:59 -2359",  # past year 9999 in UTC
    "Mon, 01 Jan 99999 00:00:00 GMT",
    "01 Jan 2024 00:00:00 +99999999999999999999",
]


@pytest.mark.parametrize("value", ["", "soon", "-5", "٣٠", *HOSTILE_RETRY_AFTER])  # ٣٠: Arabic-Indic 30
def test_unreadable_retry_after_is_ignored(value):
    assert parse_retry_after(value) is None


@pytest.mark.parametrize("value", HOSTILE_RETRY_AFTER, ids=lambda v: v[:40])
async def test_hostile_retry_after_is_treated_as_absent(feed_server, value):
    feed_server.add_handler("/busy", status_page(429, headers={"Retry-After": value}))
    error = await fetch_error(feed_server.url("/busy"))
    assert (error.code, error.retry_at) == ("fetch.http_429", None)
async def test_a_304_to_an_unconditional_request_is_an_error(feed_server):
    feed_server.add_handler("/lazy", status_page(304, headers={"ETag": '"x"'}))
    error = await fetch_error(feed_server.url("/lazy"))
    assert error.code == "fetch.unexpected_304"
    assert feed_server.url("/lazy") in error.message
async def test_a_304_after_a_redirect_of_a_conditional_request_is_unchanged(feed_server):
    feed_server.add_handler("/old", redirect_to("/new"))
    feed_server.add_handler("/new", status_page(304))
    async with Fetcher(LOCAL) as fetcher:
        result = await fetcher.fetch(feed_server.url("/old"), etag='"v1"')
    assert result.not_modified and feed_server.requests_to("/new")[0].headers["if-none-match"] == '"v1"'
@pytest.mark.parametrize("declare_length", [True, False])
async def test_body_over_the_cap_is_refused(feed_server, declare_length):
    chunk = b"x" * MiB

    def fifty_megabytes(request):
        if declare_length:
            respond(request, 200, chunk * 50, {"Content-Type": "application/rss+xml"})
        else:
            send_stream(request, (chunk for _ in range(50)), headers={"Content-Type": "application/rss+xml"})

    feed_server.add_handler("/huge", fifty_megabytes)
    error = await fetch_error(feed_server.url("/huge"))
    assert error.code == "fetch.too_large"


async def test_gzip_bomb_is_stopped_after_decompression(feed_server):
    def one_gigabyte_of_zeros_gzipped(request):
        compressor = zlib.compressobj(wbits=31)  # gzip container
        zeros = bytes(MiB)
        chunks = (compressor.compress(zeros) for _ in range(1024))
        send_stream(request, chunks, headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"})

    feed_server.add_handler("/bomb", one_gigabyte_of_zeros_gzipped)
    started = time.monotonic()
    error = await fetch_error(feed_server.url("/bomb"))
    assert error.code == "fetch.too_large"
    assert time.monotonic() - started < 10  # stopped early, not after inflating a gigabyte


async def test_gzip_bomb_in_one_burst_stays_small_in_memory(feed_server):
    compressor = zlib.compressobj(9, wbits=31)
    bomb = b"".join(compressor.compress(bytes(MiB)) for _ in range(200)) + compressor.flush()
    feed_server.add_handler("/bomb", status_page(200, bomb, {"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        error = await fetch_error(feed_server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.code == "fetch.too_large"
    assert peak < 40 * MiB  # about the 10 MiB cap, not a 64 MiB inflation per network read


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    "encoding, encode",
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", _raw_deflate),
    ],
)
async def test_compressed_bodies_are_decoded(feed_server, encoding, encode):
    body = RSS * 5000
    feed_server.add_handler("/feed.xml", status_page(200, encode(body), {"Content-Encoding": encoding}))
    async with Fetcher(LOCAL) as fetcher:
        assert (await fetcher.fetch(feed_server.url("/feed.xml"))).body == body
    accepted = feed_server.requests[0].headers["accept-encoding"]
    assert {coding.strip() for coding in accepted.split(",")} == {"gzip", "deflate"}


@pytest.mark.parametrize("encoding, body", [("br", b"\x1b\x00\x00"), ("gzip", b"not gzip at all")])
async def test_unsupported_or_corrupt_encoding_is_refused(feed_server, encoding, body):
    feed_server.add_handler("/feed.xml", status_page(200, body, {"Content-Encoding": encoding}))
    error = await fetch_error(feed_server.url("/feed.xml"))
    assert error.code == "fetch.bad_encoding"


async def test_a_server_dripping_bytes_hits_the_total_deadline(feed_server):
    def one_byte_per_second(request):
        request.send_response(200)
        request.send_header("Content-Length", "60")
        request.end_headers()
        for _ in range(60):
            request.wfile.write(b"<")
            time.sleep(1)

    feed_server.add_handler("/drip", one_byte_per_second)
    started = time.monotonic()
    policy = FetchPolicy(allow_private_networks=True, deadline_seconds=2)
    error = await fetch_error(feed_server.url("/drip"), policy)
    assert error.code == "fetch.timeout"
    assert time.monotonic() - started < 8


async def test_per_host_limit_is_honoured(feed_server):
    def slow(request):
        time.sleep(0.3)
        respond(request, 200, RSS)

    feed_server.add_handler("/slow", slow)
    policy = FetchPolicy(allow_private_networks=True, per_host_limit=2)
    async with Fetcher(policy) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(feed_server.url(f"/slow?n={n}")) for n in range(6)))
    assert [r.body for r in results] == [RSS] * 6
    assert feed_server.peak_in_flight == 2


async def test_global_limit_is_honoured(feed_server):
    def slow(request):
        time.sleep(0.3)
        respond(request, 200, RSS)

    feed_server.add_handler("/slow", slow)
    policy = FetchPolicy(allow_private_networks=True, per_host_limit=10, global_limit=3)
    async with Fetcher(policy) as fetcher:
        await asyncio.gather(*(fetcher.fetch(feed_server.url(f"/slow?n={n}")) for n in range(8)))
    assert feed_server.peak_in_flight == 3


async def test_connections_are_reused(feed_server):
    feed_server.add_file("/feed.xml", RSS)
    async with Fetcher(LOCAL) as fetcher:
        for _ in range(5):
            await fetcher.fetch(feed_server.url("/feed.xml"))
    assert len(feed_server.requests) == 5
    assert len({request.client_port for request in feed_server.requests}) == 1


async def test_loopback_is_refused_unless_allowed(feed_server):
    feed_server.add_file("/feed.xml", RSS)
    error = await fetch_error(feed_server.url("/feed.xml"), FetchPolicy())
    assert error.code == "fetch.private_address"
    assert "127.0.0.1" in error.message
    assert feed_server.requests == []  # refused before connecting


@pytest.mark.parametrize("host", ["localhost", "[::1]", "0.0.0.0", "[::ffff:127.0.0.1]", "169.254.169.254"])
async def test_private_hosts_are_refused_before_connecting(host):
    assert (await fetch_error(f"http://{host}:9/feed.xml", FetchPolicy())).code == "fetch.private_address"


async def test_redirect_to_a_private_address_is_refused(feed_server, monkeypatch):
    # Let 127.0.0.1 stand for a public host; every other private address stays refused.
    real_check = netguard.is_public_address
    pretend_public = ip_address("127.0.0.1")
    monkeypatch.setattr(netguard, "is_public_address", lambda a: a == pretend_public or real_check(a))
    feed_server.add_file("/feed.xml", RSS)
    feed_server.add_handler("/public", redirect_to(f"http://127.0.0.2:{feed_server.port}/feed.xml"))
    async with Fetcher(FetchPolicy()) as fetcher:
        assert (await fetcher.fetch(feed_server.url("/feed.xml"))).body == RSS
        with pytest.raises(FeedError) as caught:
            await fetcher.fetch(feed_server.url("/public"))
    assert caught.value.code == "fetch.private_address"
    assert "127.0.0.2" in caught.value.message


@pytest.mark.parametrize(
    "address, allowed",
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("239.255.255.250", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("192.0.2.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("ff02::1", False),
        ("ff0e::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:a00:1::", False),  # 6to4 wrapping 10.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 wrapping 169.254.169.254
        ("::127.0.0.1", False),
        ("2001:db8::1", False),
    ],
)
def test_public_address_decision(address, allowed):
    assert netguard.is_public_address(ip_address(address)) is allowed


async def test_unresolvable_host_is_a_dns_error(monkeypatch):
    async def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(asyncio.get_running_loop(), "getaddrinfo", no_such_host)
    error = await fetch_error("http://feeds.example.invalid/rss")
    assert error.code == "fetch.dns"
    assert "feeds.example.invalid" in error.message


async def test_closed_port_is_a_connection_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert (await fetch_error(f"http://127.0.0.1:{port}/feed.xml")).code == "fetch.connection"


async def test_https_to_a_plain_http_server_is_a_tls_error(feed_server):
    feed_server.add_file("/feed.xml", RSS)
    error = await fetch_error(f"https://127.0.0.1:{feed_server.port}/feed.xml")
    assert error.code == "fetch.tls"
