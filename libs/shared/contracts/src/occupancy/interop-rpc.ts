import { ApiProperty } from '@nestjs/swagger';
import { defineRpc } from '../rpc-contract';
import { SiteRef } from './site-payloads';

/** The JSON-LD context every entity names: the Smart Data Models context (Parking included). */
export const SMART_DATA_MODELS_CONTEXT = 'https://raw.githubusercontent.com/smart-data-models/dataModel.Parking/master/context.jsonld';
export const NGSI_LD_CORE_CONTEXT = 'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld';

export interface GeoJsonPoint {
  type: 'Point';
  /** GeoJSON order: longitude, then latitude. */
  coordinates: [number, number];
}

/**
 * One NGSI-LD entity in key-value (concise) form, as the Smart Data Models examples
 * (`example.jsonld`) write them: attributes are plain values, relationships are entity ids.
 */
export interface NgsiLdEntity {
  id: string;
  type: 'ParkingSpot' | 'OffStreetParking' | 'OnStreetParking' | 'ParkingGroup';
  '@context': string[];
  [attribute: string]: unknown;
}

export type SiteFiwareResponse = NgsiLdEntity[];

export type Datex2ParkingSpaceStatus = 'spaceAvailable' | 'occupied' | 'closed' | 'unknown';
export type Datex2ParkingSiteStatus = 'spacesAvailable' | 'almostFull' | 'full' | 'closed' | 'unknown';

export interface Datex2MultilingualString {
  values: Array<{ lang: string; value: string }>;
}

export interface Datex2PublicationHeader {
  lang: string;
  /** RFC 3339. */
  publicationTime: string;
  publicationCreator: { country: string; nationalIdentifier: string };
}

export interface Datex2Occupancy {
  parkingNumberOfVacantSpaces: number;
  parkingNumberOfOccupiedSpaces: number;
  /** Occupied spaces in percent of those counted (0..100). */
  parkingOccupancy: number;
}

export interface Datex2ParkingRecord {
  id: string;
  version: string;
  parkingName: Datex2MultilingualString;
  parkingNumberOfSpaces: number;
  parkingLocation?: { pointByCoordinates: { pointCoordinates: { latitude: number; longitude: number } } };
  parkingRecordVersionTime: string;
}

export interface Datex2ParkingSite extends Datex2ParkingRecord {
  recordType: 'UrbanParkingSite';
  urbanParkingSiteType: 'offStreetParking' | 'onStreetParking';
  parkingAddress?: string;
  parkingSpace: Array<Datex2ParkingRecord & { recordType: 'SingleParkingSpace' }>;
}

export interface Datex2RecordReference {
  targetClass: 'ParkingRecord';
  id: string;
  version: string;
}

export interface Datex2ParkingSiteStatusRecord {
  recordType: 'ParkingSiteStatus';
  parkingRecordReference: Datex2RecordReference;
  parkingStatusOriginTime: string;
  parkingOccupancy: Datex2Occupancy;
  parkingSiteStatus: Datex2ParkingSiteStatus;
}

export interface Datex2ParkingSpaceStatusRecord {
  recordType: 'ParkingSpaceStatus';
  parkingRecordReference: Datex2RecordReference;
  parkingStatusOriginTime: string;
  parkingOccupancy: Datex2Occupancy;
  parkingSpaceStatus: Datex2ParkingSpaceStatus;
  /** Extension: the space is held by an active reservation. */
  reserved?: boolean;
}

/** DATEX II v3 Parking Publications Light in JSON: the site's description and its status. */
export interface SiteDatex2Response {
  modelBaseVersion: '3';
  parkingTablePublication: Datex2PublicationHeader & {
    parkingTable: Array<{ id: string; version: string; parkingRecord: Datex2ParkingSite[] }>;
  };
  parkingStatusPublication: Datex2PublicationHeader & {
    parkingRecordStatus: Array<Datex2ParkingSiteStatusRecord | Datex2ParkingSpaceStatusRecord>;
  };
}

/**
 * How the interoperability views travel over NATS: gzip, then base64. A large site's view
 * (thousands of spaces) exceeds NATS's 1 MB message limit as plain JSON; compressed it does
 * not. The gateway decompresses and answers plain JSON (SiteFiwareResponse, SiteDatex2Response).
 */
export class CompressedView {
  @ApiProperty({ enum: ['gzip'] }) contentEncoding!: 'gzip';
  /** Base64 of the gzip-compressed UTF-8 JSON. */
  @ApiProperty({ description: 'Base64 of the gzip-compressed UTF-8 JSON' }) data!: string;
}

/**
 * A site in the vocabularies other platforms read: FIWARE Smart Data Models (NGSI-LD) and
 * DATEX II v3 parking publications. Over NATS request/reply like OCCUPANCY_RPC; both need
 * `sites:read`, and another tenant's site is 404.
 */
export const OCCUPANCY_INTEROP_RPC = {
  siteFiware: defineRpc('rpc.occupancy.v1.sites.fiware', SiteRef, CompressedView),
  siteDatex2: defineRpc('rpc.occupancy.v1.sites.datex2', SiteRef, CompressedView),
} as const;
