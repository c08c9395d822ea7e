/**
 * Sample plugins for the local platform's demo marketplace: real bundled modules (one default
 * export, no imports) that run in the sandbox against the synthetic demo patients.
 */
export interface DemoPlugin {
  readonly id: string;
  readonly version: string;
  readonly code: string;
  readonly metadata: {
    name: string;
    description: string;
    author: string;
    permissions: string[];
    events: string[];
    tags: string[];
  };
}

const patientCounter = `export default {
  async execute(input, api) {
    const patients = await api.patients.search({ limit: 1000 });
    const byGender = {};
    for (const patient of patients) byGender[patient.gender ?? 'unknown'] = (byGender[patient.gender ?? 'unknown'] ?? 0) + 1;
    return { total: patients.length, byGender };
  },
};
`;

const appointmentReminder = `export default {
  async execute(input, api) {
    const patient = await api.patients.get(String(input.patientId));
    return { patientId: patient.id, reminder: 'Dear ' + patient.name + ', see you on ' + String(input.start) + '.' };
  },
  async onEvent(event, api) {
    if (event.name !== 'appointment:scheduled') return null;
    await api.storage.set('last-scheduled', event.data.appointmentId ?? null);
    return { remembered: true };
  },
};
`;

const noShowTracker = `export default {
  async onEvent(event, api) {
    if (event.name !== 'appointment:cancelled') return null;
    const count = (await api.storage.get('cancellations')) ?? 0;
    await api.storage.set('cancellations', count + 1);
    return { cancellations: count + 1 };
  },
  async execute(input, api) {
    return { cancellations: (await api.storage.get('cancellations')) ?? 0 };
  },
};
`;

export const DEMO_PLUGINS: readonly DemoPlugin[] = [
  {
    id: 'patient-counter',
    version: '1.0.0',
    code: patientCounter,
    metadata: {
      name: 'Patient Counter',
      description:
        'Counts the patients of the organisation, grouped by recorded gender, for capacity dashboards.',
      author: 'Gradiant Demo Publisher',
      permissions: ['read:patients'],
      events: [],
      tags: ['analytics', 'patients', 'dashboard'],
    },
  },
  {
    id: 'appointment-reminder',
    version: '1.2.0',
    code: appointmentReminder,
    metadata: {
      name: 'Appointment Reminder',
      description: 'Builds reminder text for upcoming appointments and remembers the latest scheduled one.',
      author: 'Gradiant Demo Publisher',
      permissions: ['read:patients', 'read:appointments'],
      events: ['appointment:scheduled'],
      tags: ['scheduling', 'reminders', 'appointments'],
    },
  },
  {
    id: 'no-show-tracker',
    version: '0.9.0',
    code: noShowTracker,
    metadata: {
      name: 'No-Show Tracker',
      description: 'Counts cancelled appointments so that scheduling teams can spot no-show trends.',
      author: 'Gradiant Demo Publisher',
      permissions: ['read:appointments'],
      events: ['appointment:cancelled'],
      tags: ['scheduling', 'analytics'],
    },
  },
];
