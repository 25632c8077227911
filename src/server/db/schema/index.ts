export * from "./tenants";
export * from "./charts";
export * from "./releases";
export * from "./batches";
export * from "./identity";
export * from "./audit";
export * from "./release-counts";
export * from "./automation";
