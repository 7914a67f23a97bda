"""Views shared by every app that needs no scope of its own."""


def file_download(field_file):
    """A stored file as a download, for views that have already checked the user may see
    the record it belongs to (files are never served as public media)."""
    from django.http import FileResponse

    name = field_file.name.rsplit("/", 1)[-1]
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=name)
    response["Cache-Control"] = "no-store"  # attachments carry personal data
    return response
