import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type Appointment,
  AppointmentSchema,
  type Patient,
  type PatientChanges,
  PatientSchema,
  type PatientSearchCriteria,
} from '../../domain/ehr.ts';
import { appointmentExists } from '../../domain/errors/ehr-errors.ts';
import type { TenantId } from '../../domain/identifiers.ts';
import type { EhrRepository } from '../../ports/ehr-repository.ts';
import { tenantPartition } from './plugins-table-keys.ts';

const PATIENT_PREFIX = 'PATIENT#';
const APPOINTMENT_PREFIX = 'APPT#';
const DEFAULT_SEARCH_LIMIT = 50;

function matches(patient: Patient, criteria: PatientSearchCriteria): boolean {
  if (criteria.name && !patient.name.toLowerCase().includes(criteria.name.toLowerCase())) return false;
  if (criteria.birthDate && patient.birthDate !== criteria.birthDate) return false;
  if (criteria.gender && patient.gender !== criteria.gender) return false;
  return true;
}

/**
 * EHR records in DynamoDB, one partition per tenant. Search filters a tenant's patients on the
 * host; a FHIR adapter would push the criteria down to the server's search parameters instead.
 */
export class DynamoDbEhrRepository implements EhrRepository {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = client;
    this.tableName = tableName;
  }

  async searchPatients(tenantId: TenantId, criteria: PatientSearchCriteria): Promise<Patient[]> {
    const limit = criteria.limit ?? DEFAULT_SEARCH_LIMIT;
    const found: Patient[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': PATIENT_PREFIX },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const patient = PatientSchema.parse(item.data);
        if (matches(patient, criteria)) found.push(patient);
        if (found.length >= limit) return found;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found;
  }

  async getPatient(tenantId: TenantId, patientId: string): Promise<Patient | undefined> {
    const item = await this.get(tenantId, PATIENT_PREFIX + patientId);
    return item ? PatientSchema.parse(item) : undefined;
  }

  /** Sets only the changed fields, atomically, so concurrent updates of different fields both land. */
  async updatePatient(
    tenantId: TenantId,
    patientId: string,
    changes: PatientChanges,
  ): Promise<Patient | undefined> {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    if (entries.length === 0) return this.getPatient(tenantId, patientId);
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: tenantPartition(tenantId), SK: PATIENT_PREFIX + patientId },
          ConditionExpression: 'attribute_exists(PK)',
          UpdateExpression: `SET ${entries.map((_, index) => `#data.#f${index} = :v${index}`).join(', ')}`,
          ExpressionAttributeNames: {
            '#data': 'data',
            ...Object.fromEntries(entries.map(([field], index) => [`#f${index}`, field])),
          },
          ExpressionAttributeValues: Object.fromEntries(
            entries.map(([, value], index) => [`:v${index}`, value]),
          ),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return PatientSchema.parse(result.Attributes?.data);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async getAppointment(tenantId: TenantId, appointmentId: string): Promise<Appointment | undefined> {
    const item = await this.get(tenantId, APPOINTMENT_PREFIX + appointmentId);
    return item ? AppointmentSchema.parse(item) : undefined;
  }

  async createAppointment(tenantId: TenantId, appointment: Appointment): Promise<Appointment> {
    try {
      await this.put(tenantId, APPOINTMENT_PREFIX + appointment.id, appointment, 'attribute_not_exists(PK)');
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw appointmentExists(error);
      }
      throw error;
    }
    return appointment;
  }

  async replaceAppointment(tenantId: TenantId, appointment: Appointment): Promise<Appointment | undefined> {
    try {
      await this.put(tenantId, APPOINTMENT_PREFIX + appointment.id, appointment, 'attribute_exists(PK)');
      return appointment;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  async putPatient(tenantId: TenantId, patient: Patient): Promise<void> {
    await this.put(tenantId, PATIENT_PREFIX + patient.id, patient);
  }

  async putAppointment(tenantId: TenantId, appointment: Appointment): Promise<void> {
    await this.put(tenantId, APPOINTMENT_PREFIX + appointment.id, appointment);
  }

  private async get(tenantId: TenantId, sortKey: string): Promise<unknown> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { PK: tenantPartition(tenantId), SK: sortKey },
        ConsistentRead: true,
      }),
    );
    return result.Item?.data;
  }

  private async put(tenantId: TenantId, sortKey: string, data: unknown, condition?: string): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: tenantPartition(tenantId), SK: sortKey, data },
        ...(condition ? { ConditionExpression: condition } : {}),
      }),
    );
  }
}
