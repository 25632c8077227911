import { DAYS, type MaintenanceWindow } from "@/contracts/tenants";

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `at` falls inside a weekly UTC window. A window whose end is not after its start
 * runs past midnight and belongs to the day it starts on; no window means always open.
 */
export function isInsideWindow(window: MaintenanceWindow | null | undefined, at: Date): boolean {
  if (!window) return true;
  const start = minutes(window.start);
  const end = minutes(window.end);
  const now = at.getUTCHours() * 60 + at.getUTCMinutes();
  const today = DAYS[(at.getUTCDay() + 6) % 7]!;
  const yesterday = DAYS[(at.getUTCDay() + 5) % 7]!;
  if (start < end) return window.days.includes(today) && now >= start && now < end;
  return (window.days.includes(today) && now >= start) || (window.days.includes(yesterday) && now < end);
}

export const describeWindow = (w: MaintenanceWindow) => `${w.days.join(",")} ${w.start}-${w.end} UTC`;
