"""Undo gzip/deflate Content-Encoding in bounded pieces, so a small bomb never inflates at once.

httpx's own decoder inflates each network read whole: a 64 KiB read of zeros
becomes 64 MiB in one go. Here every piece is at most `PIECE_BYTES`, so a
caller counting bytes stops a bomb with little more than its cap in memory.
"""
from __future__ import annotations

import zlib
from collections.abc import AsyncIterable, AsyncIterator, Iterator

ACCEPT_ENCODING = "gzip, deflate"
PIECE_BYTES = 256 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


class EncodingError(ValueError):
    """The body uses an encoding we did not ask for, or does not decode."""


async def decoded_pieces(content_encoding: str | None, chunks: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """The body decoded, in pieces of at most `PIECE_BYTES` when it was compressed."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    codings = [c for c in codings if c not in ("", "identity")]
    if not codings:
        async for chunk in chunks:
            yield chunk
        return
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise EncodingError(f"unsupported content encoding {content_encoding!r}")
    inflater = _Inflater(raw_fallback=codings[0] == "deflate")
    async for chunk in chunks:
        for piece in inflater.feed(chunk):
            yield piece
    yield inflater.finish()


class _Inflater:
    """A zlib decompressor fed chunk by chunk with a cap on each output piece."""

    def __init__(self, raw_fallback: bool) -> None:
        # "deflate" should be zlib-wrapped, but some servers send raw deflate.
        self._raw_fallback = raw_fallback
        self._started = False
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS if raw_fallback else _GZIP_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Decoded pieces for one chunk of input; data after the end of the stream is ignored."""
        while data and not self._zlib.eof:
            try:
                piece = self._zlib.decompress(data, PIECE_BYTES)
            except zlib.error as exc:
                if not self._raw_fallback or self._started:
                    raise EncodingError(f"body does not decode: {exc}") from exc
                self._raw_fallback = False
                self._zlib = zlib.decompressobj(_RAW_DEFLATE_WBITS)
                continue
            self._started = True
            data = self._zlib.unconsumed_tail
            if piece:
                yield piece

    def finish(self) -> bytes:
        """Whatever output zlib still holds."""
        try:
            return self._zlib.flush()
        except zlib.error as exc:
            raise EncodingError(f"body does not decode: {exc}") from exc
