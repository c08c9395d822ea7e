// A typical bundled plugin: reads a patient, moves an appointment, logs and emits ids only.
const plugin = {
  async execute(input, api) {
    const patient = await api.patients.get(input.patientId);
    const moved = await api.appointments.reschedule(input.appointmentId, new Date(input.newTime));
    api.logger.info('rescheduled', { appointmentId: moved.id });
    await api.events.emit('reminder:sent', { patientId: patient.id });
    return { patientId: patient.id, start: moved.start, end: moved.end };
  },
  async onEvent(event) {
    return { seen: event.name };
  },
};

export { plugin as default };
