import { expect } from "vitest";
import { readChartArchive } from "@/server/domain/charts/read-chart-archive";
import { DomainError } from "@/server/domain/errors";

/** The DomainError readChartArchive refuses an archive with (fails the test if it accepts it). */
export function refusal(archive: Buffer): DomainError {
  try {
    readChartArchive(archive);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error("the archive was accepted");
}
