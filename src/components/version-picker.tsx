"use client";

import { useState } from "react";
import type { ChartVersionSummary } from "@/contracts/charts";
import { Field, inputClass } from "./ui";
import { defaultTargetVersion, isPrerelease, offeredVersions } from "./versions";

/**
 * A target version select that offers stable versions, and prereleases only once the user
 * ticks "Include prereleases" (helm search --devel). A prerelease already chosen (say, from
 * the address) keeps the box ticked; unticking it returns to the default target.
 */
export function TargetVersionPicker({
  id,
  label,
  versions,
  value,
  onChange,
  optionLabel = (v) => `${v.version}${v.deprecated ? " (deprecated)" : ""}`,
}: {
  id: string;
  label: string;
  versions: ChartVersionSummary[] | undefined;
  value: string;
  onChange: (version: string) => void;
  optionLabel?: (v: ChartVersionSummary) => string;
}) {
  const [devel, setDevel] = useState(false);
  const showDevel = devel || isPrerelease(value);
  return (
    <Field label={label} htmlFor={id}>
      <select id={id} className={inputClass} value={value} onChange={(e) => onChange(e.target.value)}>
        {offeredVersions(versions, showDevel).map((v) => (
          <option key={v.version} value={v.version}>
            {optionLabel(v)}
          </option>
        ))}
      </select>
      <label className="flex items-center gap-1.5 pt-0.5 text-xs text-slate-600">
        <input
          type="checkbox"
          checked={showDevel}
          onChange={(e) => {
            setDevel(e.target.checked);
            if (!e.target.checked && isPrerelease(value)) onChange(defaultTargetVersion(versions) ?? "");
          }}
        />
        Include prereleases (--devel)
      </label>
    </Field>
  );
}
