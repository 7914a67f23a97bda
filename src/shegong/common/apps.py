from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "shegong.common"

    def ready(self):
        from .validators import harden_models

        harden_models()  # no control characters, bounded free text, phones that are phones
