import json

from django.core.management.base import BaseCommand, CommandError

from templates_app.classifier import corpus, model, training


class Command(BaseCommand):
    help = (
        'Precision, recall and F1 of "would be marketing" on a split of the labelled '
        "corpus (templates_app/data/corpus), with its size and accuracy per group."
    )

    def add_arguments(self, parser):
        parser.add_argument("--split", choices=corpus.SPLITS, default="heldout")
        parser.add_argument("--batch", type=int, help="only items of this writing batch (1-4)")
        parser.add_argument(
            "--cv",
            type=int,
            metavar="K",
            help="K-fold cross-validation on the train split instead (retrains K times)",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="print one JSON object"
        )

    def handle(self, *args, split, batch, cv, as_json, **options):
        if cv is not None:
            if cv < 2:
                raise CommandError("--cv needs at least 2 folds")
            result = {
                "split": f"train ({cv}-fold cross-validation)",
                "batch": None,
                "cross_validation": training.cross_validate(cv),
            }
        else:
            rows = corpus.load(split)
            if batch is not None:
                rows = [r for r in rows if r.get("batch") == batch]
                if not rows:
                    raise CommandError(f"no {split} templates in batch {batch}")
            result = {"split": split, "batch": batch, **training.evaluate(rows)}
        if as_json:
            self.stdout.write(_dumps({"id": model.model_id(), **result}))
            return
        figures = result.get("cross_validation", result)
        self.stdout.write(
            f"{result['split']}{' batch ' + str(batch) if batch else ''}: "
            f"n={figures['size']}  precision={figures['precision']:.3f}  "
            f"recall={figures['recall']:.3f}  f1={figures['f1']:.3f}  "
            f"(tp={figures['tp']} fp={figures['fp']} fn={figures['fn']} tn={figures['tn']})"
        )
        if "authentication" in result:
            auth = result["authentication"]
            self.stdout.write(f"authentication: {auth['right']}/{auth['size']} right")
            for group, tally in result["groups"].items():
                self.stdout.write(f"  {group:20s} {tally['right']:3d}/{tally['size']:3d}")


def _dumps(value) -> str:
    return json.dumps(value, indent=1, sort_keys=True)
