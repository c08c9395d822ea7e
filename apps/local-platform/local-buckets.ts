export const LOCAL_BUCKET_NAMES = {
  artifacts: 'gradiant-artifacts',
  complianceLog: 'gradiant-compliance-log',
} as const;
