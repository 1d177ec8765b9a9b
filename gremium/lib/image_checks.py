"""Do an uploaded PNG or JPEG hold a whole image? Pure file checking, with the standard
library only.

gremium never draws an uploaded image itself: the browser shows it, and the combined PDF
appends only PDFs. So no image library is needed to decode pixels; what is checked is
what makes a browser show a broken image: the file's structure, complete and consistent.
A PNG's chunks are read with their checksums and its image data inflated to the size its
header promises; a JPEG's segments are walked from the start marker through a frame and a
scan to the end marker. Each function returns what is wrong (in the user's language), or
"" when nothing is.
"""

from __future__ import annotations

import struct
import zlib

from django.utils.translation import gettext as _

# Larger than any photo or scan (Pillow warns from 89 megapixels); beyond this, inflating
# the image data only costs time and it is refused as too large.
MAX_PIXELS = 100_000_000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type → samples per pixel


def png_problem(data: bytes) -> str:
    if not data.startswith(_PNG_SIGNATURE):
        return _("PNG-signaturen mangler")
    chunks, problem = _png_chunks(data)
    if problem:
        return problem
    if not chunks or chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        return _("billedets hoved (IHDR) mangler")
    if chunks[-1][0] != b"IEND":
        return _("billedet er afkortet")
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    if colour not in _PNG_CHANNELS or not width or not height:
        return _("billedets hoved (IHDR) er ugyldigt")
    if width * height > MAX_PIXELS:
        return _("billedet har over 100 megapixel")
    image = b"".join(body for name, body in chunks if name == b"IDAT")
    return _inflate_problem(image, _png_raw_size(width, height, depth, colour, interlace))


def _png_chunks(data: bytes) -> tuple[list[tuple[bytes, bytes]], str]:
    chunks: list[tuple[bytes, bytes]] = []
    position = len(_PNG_SIGNATURE)
    while position < len(data):
        if position + 12 > len(data):
            return chunks, _("billedet er afkortet")
        (length,) = struct.unpack(">I", data[position : position + 4])
        name = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        crc = data[position + 8 + length : position + 12 + length]
        if len(body) != length or len(crc) != 4:
            return chunks, _("billedet er afkortet")
        if zlib.crc32(name + body) != struct.unpack(">I", crc)[0]:
            return chunks, _("billedet er beskadiget (kontrolsumfejl)")
        chunks.append((name, body))
        position += 12 + length
        if name == b"IEND":
            break
    return chunks, ""


def _png_raw_size(width: int, height: int, depth: int, colour: int, interlace: int) -> int:
    bits = depth * _PNG_CHANNELS[colour]
    if not interlace:
        return height * (1 + (width * bits + 7) // 8)
    # Adam7: seven reduced images, each row with its own filter byte
    size = 0
    for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
                           (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)):  # fmt: skip
        columns, rows = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if columns and rows:
            size += rows * (1 + (columns * bits + 7) // 8)
    return size


def _inflate_problem(compressed: bytes, expected: int) -> str:
    inflater = zlib.decompressobj()
    produced = 0
    try:
        # In pieces, so a crafted file never makes more than a piece at a time.
        chunk = inflater.decompress(compressed, 1 << 20)
        while chunk:
            produced += len(chunk)
            if produced > expected:
                break
            chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
    except zlib.error:
        return _("billeddata er beskadigede")
    if produced != expected or not inflater.eof:
        return _("billeddata er ufuldstændige")
    return ""


# JPEG markers without a length: start of image, restart markers, TEM.
_STANDALONE = frozenset({0xD8, 0x01, *range(0xD0, 0xD8)})
# Start of frame (baseline, progressive, lossless…); C4, C8 and CC are other segments.
_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_END, _SCAN = 0xD9, 0xDA


def jpeg_problem(data: bytes) -> str:
    if not data.startswith(b"\xff\xd8"):
        return _("JPEG-startmærket mangler")
    position, frame, scan = 2, False, False
    while position + 1 < len(data):
        if data[position] != 0xFF:
            return _("billedet er beskadiget")
        marker = data[position + 1]
        position += 2
        if marker == 0xFF:  # fill byte before a marker
            position -= 1
        elif marker == _END:
            return "" if frame and scan else _("billedet indeholder ingen billeddata")
        elif marker not in _STANDALONE:
            if position + 2 > len(data):
                break
            (length,) = struct.unpack(">H", data[position : position + 2])
            if length < 2:
                return _("billedet er beskadiget")
            if position + length > len(data):
                return _("billedet er afkortet")
            if marker in _FRAMES:
                frame = length >= 8 and _frame_size_ok(data[position + 2 : position + length])
                if not frame:
                    return _("billedets hoved er ugyldigt eller har over 100 megapixel")
            position += length
            if marker == _SCAN:
                scan = True
                position = _after_entropy_data(data, position)
    return _("billedet er afkortet")


def _frame_size_ok(header: bytes) -> bool:
    _precision, height, width = struct.unpack(">BHH", header[:5])
    return width > 0 and width * max(height, 1) <= MAX_PIXELS


def _after_entropy_data(data: bytes, position: int) -> int:
    """The position of the next marker after a scan's coded data, where 0xFF is followed
    by 0x00 (a stuffed byte) or a restart marker within the data."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
        else:
            return position
