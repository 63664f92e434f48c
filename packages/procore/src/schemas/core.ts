import { z } from 'zod';
import { bool, id, idName, num, str } from './common';

export const Me = z.looseObject({ id, login: z.string(), name: str });
export type Me = z.infer<typeof Me>;

export const Company = z.looseObject({
  id,
  name: z.string(),
  is_active: bool,
  logo_url: str,
  pcn_business_experience: bool,
  my_company: bool,
});
export type Company = z.infer<typeof Company>;

export const Project = z.looseObject({
  id,
  name: z.string(),
  display_name: str,
  project_number: str,
  address: str,
  city: str,
  state_code: str,
  country_code: str,
  zip: str,
  county: str,
  time_zone: str,
  latitude: num,
  longitude: num,
  stage: str,
  phone: str,
  created_at: str,
  updated_at: str,
  active: bool,
  origin_id: str,
  origin_data: str,
  origin_code: str,
  is_demo: bool,
  company: idName,
});
export type Project = z.infer<typeof Project>;
