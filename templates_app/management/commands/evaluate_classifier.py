from instantreply.core.management.base import JsonCommand, coded_error
from templates_app.classifier import corpus, model, training


class Command(JsonCommand):
    help = (
        'Precision, recall and F1 of "would be marketing" on a split of the labelled '
        "corpus (templates_app/data/corpus), with its size and accuracy per group."
    )

    def add_command_arguments(self, parser):
        parser.add_argument("--split", choices=corpus.SPLITS, default="heldout")
        parser.add_argument(
            "--batch", help="only items of this writing batch (1-4, train-5, heldout-2)"
        )
        parser.add_argument(
            "--cv",
            type=int,
            metavar="K",
            help="K-fold cross-validation on the train split instead (retrains K times)",
        )
        parser.add_argument(
            "--writers",
            action="store_true",
            help="leave-one-writer-out over the train-5 writers instead (how the threshold "
            "and features were chosen)",
        )

    def run(self, *, split, batch, cv, writers, **options) -> tuple[dict, str]:
        if writers:
            split = "train (leave one train-5 writer out)"
            figures = training.leave_one_writer_out()
            result = {"id": model.model_id(), "split": split, "leave_one_writer_out": figures}
        elif cv is not None:
            if cv < 2:
                raise coded_error("INVALID_INPUT", "--cv needs at least 2 folds")
            split = f"train ({cv}-fold cross-validation)"
            figures = training.cross_validate(cv)
            result = {"id": model.model_id(), "split": split, "cross_validation": figures}
        else:
            rows = corpus.load(split)
            if batch is not None:
                rows = [r for r in rows if str(r.get("batch")) == batch]
                if not rows:
                    raise coded_error("INVALID_INPUT", f"no {split} templates in batch {batch}")
            figures = training.evaluate(rows)
            result = {"id": model.model_id(), "split": split, "batch": batch, **figures}
        lines = [
            f"{split}{' batch ' + str(batch) if batch else ''}: "
            f"n={figures['size']}  precision={figures['precision']:.3f}  "
            f"recall={figures['recall']:.3f}  f1={figures['f1']:.3f}  "
            f"(tp={figures['tp']} fp={figures['fp']} fn={figures['fn']} tn={figures['tn']})"
        ]
        for writer, tally in figures.get("writers", {}).items():
            lines.append(
                f"  {writer}: n={tally['size']}  precision={tally['precision']:.3f}  "
                f"recall={tally['recall']:.3f}"
            )
        if "groups" in figures:
            auth = figures["authentication"]
            lines.append(f"authentication: {auth['right']}/{auth['size']} right")
            lines += [
                f"  {group:20s} {tally['right']:3d}/{tally['size']:3d}"
                for group, tally in figures["groups"].items()
            ]
        return result, "\n".join(lines)
