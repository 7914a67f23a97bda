"""The one checked-upload path: every file a user uploads to a record (a service record's
attachment, a visit's photos and signature) is checked here, by name, size and content,
and a photo is re-encoded (resized, EXIF stripped) before it is stored."""

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The longest side of a stored photo and of its thumbnail, in pixels.
PHOTO_MAX_SIDE = 1600
THUMBNAIL_MAX_SIDE = 240

# File signatures: the extension alone is not trusted.
SIGNATURES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF-",),
}
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")


def check_upload(upload, *, field: str = "file", images_only: bool = False) -> None:
    """Type by extension and by content, and size; a refusal names ``field``."""
    name = (upload.name or "").lower()
    allowed = IMAGE_EXTENSIONS if images_only else tuple(SIGNATURES)
    ext = next((e for e in allowed if name.endswith(e)), None)
    if ext is None:
        message = (
            _("Upload a JPEG or PNG photo.")
            if images_only
            else _("Upload a JPEG or PNG photo or a PDF.")
        )
        raise ValidationError({field: [message]})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: [_("The file is larger than 10 MB.")]})
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        raise ValidationError({field: [_("The file's content does not match its type.")]})


def image_location(upload) -> tuple[float, float] | None:
    """The GPS position in a photo's EXIF, if it has one (for tests and checks)."""
    from PIL import Image

    upload.seek(0)
    with Image.open(upload) as image:
        gps = image.getexif().get_ifd(0x8825)
    upload.seek(0)
    if not gps or 2 not in gps or 4 not in gps:
        return None

    def degrees(value):
        d, m, s = (float(x) for x in value)
        return d + m / 60 + s / 3600

    return degrees(gps[2]), degrees(gps[4])


def processed_image(upload, *, field: str = "file", keep_location: bool = False):
    """A checked photo re-encoded for storage: turned upright, its longest side at most
    ``PHOTO_MAX_SIDE``, every EXIF tag dropped (the camera's GPS position included) unless
    ``keep_location``, when only the GPS block is kept. Returns ``(photo, thumbnail)`` as
    files ready to save; a file Pillow cannot read is refused naming ``field``."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_upload(upload, field=field, images_only=True)
    try:
        upload.seek(0)
        with Image.open(upload) as original:
            original.load()
            exif = original.getexif()
            image = ImageOps.exif_transpose(original)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({field: [_("This file is not a picture that can be read.")]}) from exc
    finally:
        upload.seek(0)
    is_png = image.format == "PNG" or (upload.name or "").lower().endswith(".png")
    if image.mode not in ("RGB", "L") and not is_png:
        image = image.convert("RGB")
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    options = {}
    if keep_location:
        gps = exif.get_ifd(0x8825)
        if gps:
            kept = Image.Exif()
            kept[0x8825] = gps
            options["exif"] = kept.tobytes()
    stem = (upload.name or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0][:60] or "photo"
    photo = _encoded(image, stem, is_png, options)
    small = image.copy()
    small.thumbnail((THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE))
    thumbnail = _encoded(small, f"{stem}-thumb", is_png, {})
    return photo, thumbnail


def _encoded(image, stem: str, is_png: bool, options: dict) -> ContentFile:
    buffer = io.BytesIO()
    if is_png:
        image.save(buffer, "PNG", optimize=True, **options)
        name = f"{stem}.png"
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=85, **options)
        name = f"{stem}.jpg"
    return ContentFile(buffer.getvalue(), name=name)


def data_url_png(value: str, *, field: str, name: str = "signature.png") -> ContentFile | None:
    """A canvas's ``data:image/png;base64,…`` (a signature pad) as an uploaded PNG file,
    checked like any upload; "" gives None."""
    value = (value or "").strip()
    if not value:
        return None
    prefix = "data:image/png;base64,"
    if not value.startswith(prefix):
        raise ValidationError({field: [_("The signature could not be read.")]})
    try:
        content = base64.b64decode(value[len(prefix) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationError({field: [_("The signature could not be read.")]}) from exc
    upload = ContentFile(content, name=name)
    check_upload(upload, field=field, images_only=True)
    return upload
