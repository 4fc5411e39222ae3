import json

from django.core.management.base import BaseCommand, CommandError

from templates_app.classifier import model, training


class Command(BaseCommand):
    help = (
        "Train the template category model on the corpus's train split (plus the older "
        "labelled set) and write templates_app/data/category_model.json. Deterministic: "
        "the same corpus always gives the same file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print one JSON object"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="do not write; fail if the shipped model differs from what training gives",
        )

    def handle(self, *args, check, as_json, **options):
        weights, trained_on = training.fit()
        if check:
            shipped = json.loads(model.MODEL_PATH.read_text(encoding="utf-8"))
            if shipped.get("weights") != weights or shipped.get("trained_on") != trained_on:
                raise CommandError(
                    f"{model.MODEL_PATH.name} is stale: run `manage.py train_category_model`."
                )
            if as_json:
                self._json(weights, trained_on, written=False)
            else:
                self.stdout.write(
                    f"{model.MODEL_PATH.name} is up to date ({len(weights)} weights)."
                )
            return
        model.save(weights, trained_on=trained_on)
        model.shipped.cache_clear()
        if as_json:
            self._json(weights, trained_on, written=True)
            return
        self.stdout.write(
            f"wrote {model.MODEL_PATH} ({len(weights)} weights; trained on "
            f"{trained_on['corpus_templates']} corpus + {trained_on['legacy_templates']} "
            "older templates)"
        )

    def _json(self, weights, trained_on, *, written: bool) -> None:
        self.stdout.write(
            json.dumps(
                {
                    "id": model.model_id(),
                    "path": str(model.MODEL_PATH),
                    "written": written,
                    "weights": len(weights),
                    "trained_on": trained_on,
                }
            )
        )
