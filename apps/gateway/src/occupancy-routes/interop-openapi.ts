import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { NGSI_LD_CORE_CONTEXT, SMART_DATA_MODELS_CONTEXT } from '@parking/contracts';

const SITE = '0b8f3a52-8a44-4d8f-9a51-3f7f2c1e5d10';
const SPACE = '5b1e7c2a-3d4f-4a6b-8c9d-0e1f2a3b4c5d';
const CONTEXT = [SMART_DATA_MODELS_CONTEXT, NGSI_LD_CORE_CONTEXT];
const INSTANT = '2026-12-02T09:30:00.000Z';

const NGSI_LD_ENTITY = {
  type: 'object',
  required: ['id', 'type', '@context'],
  additionalProperties: true,
  properties: {
    id: { type: 'string', format: 'uri', example: `urn:ngsi-ld:ParkingSpot:${SPACE}` },
    type: { type: 'string', enum: ['ParkingSpot', 'OffStreetParking', 'OnStreetParking', 'ParkingGroup'] },
    '@context': { type: 'array', items: { type: 'string', format: 'uri' } },
  },
  description: 'A Smart Data Models entity in NGSI-LD key-value form; its other attributes follow the model named by `type`.',
};

/** 200 with the site as FIWARE Smart Data Models entities. */
export const ApiFiwareResponse = () =>
  applyDecorators(
    ApiResponse({
      status: 200,
      description:
        'NGSI-LD entities (key-value form): the site as OffStreetParking or OnStreetParking, each zone as ParkingGroup, each space as ParkingSpot ' +
        '(status free, occupied, closed or unknown; maintenance → closed, reserved → occupied with `reserved: true`).',
      content: {
        'application/ld+json': {
          schema: { type: 'array', items: NGSI_LD_ENTITY },
          example: [
            {
              id: `urn:ngsi-ld:OffStreetParking:${SITE}`,
              type: 'OffStreetParking',
              name: 'Alexa car park',
              address: { streetAddress: 'Alexanderplatz 1' },
              location: { type: 'Point', coordinates: [13.4132, 52.5219] },
              availableSpotNumber: 41,
              occupiedSpotNumber: 55,
              reservedSpotNumber: 3,
              outOfServiceSlotNumber: 1,
              unknownSpotNumber: 3,
              totalSpotNumber: 100,
              status: ['spacesAvailable'],
              occupancyModified: INSTANT,
              dateCreated: INSTANT,
              dateModified: INSTANT,
              '@context': CONTEXT,
            },
            {
              id: `urn:ngsi-ld:ParkingSpot:${SPACE}`,
              type: 'ParkingSpot',
              name: 'A-17',
              status: 'occupied',
              reserved: true,
              category: ['offStreet'],
              refParkingSite: `urn:ngsi-ld:OffStreetParking:${SITE}`,
              location: { type: 'Point', coordinates: [13.4132, 52.5219] },
              dateCreated: INSTANT,
              dateModified: INSTANT,
              '@context': CONTEXT,
            },
          ],
        },
      },
    }),
  );

const HEADER = {
  lang: { type: 'string', example: 'en' },
  publicationTime: { type: 'string', format: 'date-time' },
  publicationCreator: {
    type: 'object',
    required: ['country', 'nationalIdentifier'],
    properties: { country: { type: 'string', example: 'zz' }, nationalIdentifier: { type: 'string' } },
  },
};

const OCCUPANCY = {
  type: 'object',
  required: ['parkingNumberOfVacantSpaces', 'parkingNumberOfOccupiedSpaces', 'parkingOccupancy'],
  properties: {
    parkingNumberOfVacantSpaces: { type: 'integer', minimum: 0 },
    parkingNumberOfOccupiedSpaces: { type: 'integer', minimum: 0 },
    parkingOccupancy: { type: 'number', minimum: 0, maximum: 100, description: 'Occupied, in percent of the spaces counted' },
  },
};

/** 200 with the site as DATEX II v3 Parking Publications Light. */
export const ApiDatex2Response = () =>
  applyDecorators(
    ApiResponse({
      status: 200,
      description:
        'DATEX II v3 Parking Publications Light (JSON): a ParkingTablePublication describing the site and its spaces, and a ParkingStatusPublication ' +
        'with the site status (spacesAvailable, almostFull, full, closed, unknown) and each space’s (spaceAvailable, occupied, closed, unknown).',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['modelBaseVersion', 'parkingTablePublication', 'parkingStatusPublication'],
            properties: {
              modelBaseVersion: { type: 'string', enum: ['3'] },
              parkingTablePublication: {
                type: 'object',
                required: ['lang', 'publicationTime', 'publicationCreator', 'parkingTable'],
                properties: { ...HEADER, parkingTable: { type: 'array', items: { type: 'object', additionalProperties: true } } },
              },
              parkingStatusPublication: {
                type: 'object',
                required: ['lang', 'publicationTime', 'publicationCreator', 'parkingRecordStatus'],
                properties: {
                  ...HEADER,
                  parkingRecordStatus: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['recordType', 'parkingRecordReference', 'parkingStatusOriginTime', 'parkingOccupancy'],
                      additionalProperties: true,
                      properties: {
                        recordType: { type: 'string', enum: ['ParkingSiteStatus', 'ParkingSpaceStatus'] },
                        parkingRecordReference: { type: 'object', properties: { targetClass: { type: 'string' }, id: { type: 'string' }, version: { type: 'string' } } },
                        parkingStatusOriginTime: { type: 'string', format: 'date-time' },
                        parkingOccupancy: OCCUPANCY,
                        parkingSiteStatus: { type: 'string', enum: ['spacesAvailable', 'almostFull', 'full', 'closed', 'unknown'] },
                        parkingSpaceStatus: { type: 'string', enum: ['spaceAvailable', 'occupied', 'closed', 'unknown'] },
                        reserved: { type: 'boolean', description: 'Extension: held by an active reservation' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    }),
  );
