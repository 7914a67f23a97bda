from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shegong.common"

    def ready(self):
        from django.core import checks

        from .pdf import check_font
        from .validators import harden_models

        checks.register(check_font)  # PDFs need a CJK font (make fonts)
        harden_models()  # no control characters, bounded free text, phones that are phones
