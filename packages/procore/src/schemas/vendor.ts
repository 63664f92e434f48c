import { z } from 'zod';
import { bool, id, idName, str } from './common';

export const Vendor = z.looseObject({
  id,
  name: z.string(),
  abbreviated_name: str,
  trade_name: str,
  legal_name: str,
  address: str,
  city: str,
  state_code: str,
  zip: str,
  country_code: str,
  business_phone: str,
  mobile_phone: str,
  fax_number: str,
  email_address: str,
  website: str,
  is_active: bool,
  authorized_bidder: bool,
  prequalified: bool,
  license_number: str,
  notes: str,
  origin_id: str,
  origin_data: str,
  origin_code: str,
  vendor_group: idName,
  parent: idName,
  created_at: str,
  updated_at: str,
});
export type Vendor = z.infer<typeof Vendor>;

/** Writable company-vendor attributes (only `name` is required on create). */
export interface VendorInput {
  name?: string;
  abbreviated_name?: string;
  trade_name?: string;
  address?: string;
  city?: string;
  state_code?: string;
  zip?: string;
  country_code?: string;
  business_phone?: string;
  mobile_phone?: string;
  fax_number?: string;
  email_address?: string;
  website?: string;
  is_active?: boolean;
  authorized_bidder?: boolean;
  prequalified?: boolean;
  license_number?: string;
  notes?: string;
  vendor_group_id?: number;
  parent_id?: number;
  origin_id?: string | null;
  origin_data?: string | null;
  origin_code?: string | null;
  trade_ids?: number[];
  [key: string]: unknown;
}

/** A sync item: `id` and/or `origin_id` select the record (see Procore "Using Sync Actions"). */
export type VendorSyncItem = VendorInput & { id?: number };
