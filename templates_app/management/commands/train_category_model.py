import json

from instantreply.core.management.base import JsonCommand, coded_error
from templates_app.classifier import model, training


class Command(JsonCommand):
    help = (
        "Train the template category model on the corpus's train split (plus the older "
        "labelled set) and write templates_app/data/category_model.json. Deterministic: "
        "the same corpus always gives the same file."
    )

    def add_command_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="do not write; fail if the shipped model differs from what training gives",
        )

    def run(self, *, check, **options) -> tuple[dict, str]:
        weights, trained_on = training.fit()
        if check:
            shipped = json.loads(model.MODEL_PATH.read_text(encoding="utf-8"))
            if shipped.get("trained_on") != trained_on or not model.same_weights(
                shipped.get("weights") or {}, weights
            ):
                raise coded_error(
                    "STALE_MODEL",
                    f"{model.MODEL_PATH.name} is stale: run `manage.py train_category_model`.",
                )
            text = f"{model.MODEL_PATH.name} is up to date ({len(weights)} weights)."
        else:
            model.save(weights, trained_on=trained_on)
            model.shipped.cache_clear()
            text = (
                f"wrote {model.MODEL_PATH} ({len(weights)} weights; trained on "
                f"{trained_on['corpus_templates']} corpus + "
                f"{trained_on['legacy_templates']} older templates)"
            )
        result = {
            "id": model.model_id(),
            "path": str(model.MODEL_PATH),
            "written": not check,
            "weights": len(weights),
            "trained_on": trained_on,
        }
        return result, text
