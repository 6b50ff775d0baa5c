"use client";

import { useEffect } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useSimulatePolicy } from "@/lib/client/use-policy";
import { ImpactSummary } from "./impact-summary";

interface Props {
  /** The YAML to be activated; the dialog is open while it is set. */
  yaml: string | null;
  days: number;
  title: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Before anything is activated (an upload or a restore), say what it would do: the open jobs it
 * re-decides and every difference it makes, computed afresh when the dialog opens.
 */
export function ActivateConfirm({ yaml, days, title, onConfirm, onCancel }: Props) {
  const impact = useSimulatePolicy();
  const { mutate, reset } = impact;
  useEffect(() => {
    if (yaml === null) return reset();
    mutate({ yaml, days });
  }, [yaml, days, mutate, reset]);
  const open = impact.data?.open.count;
  return (
    <ConfirmDialog
      open={yaml !== null}
      title={title}
      busy={!impact.data && !impact.isError}
      confirmLabel={open === undefined ? "Activate" : `Activate and re-decide ${open} open job${open === 1 ? "" : "s"}`}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      {impact.isPending && <p role="status">Working out what it would change…</p>}
      {impact.isError && (
        <p role="alert" className="text-red-800">
          Could not work out its impact: {impact.error.message}. You can still activate it.
        </p>
      )}
      {impact.data && <ImpactSummary result={impact.data} />}
    </ConfirmDialog>
  );
}
