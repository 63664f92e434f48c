import { Form } from '@procore/core-react';
import type { Option } from './options';

// Rows of the setup forms that differ only in name and wording. They read formik state through
// core-react's Form context, so they must sit inside a <Form.Form>.

/** A full-width choice of one of `options`. */
export function OptionRadios<T extends string>(props: { name: string; label: string; options: Option<T>[]; required?: boolean }) {
  return (
    <Form.Row>
      <Form.RadioButtons
        name={props.name}
        label={props.label}
        options={props.options}
        getId={(o: Option<T>) => o.id}
        getLabel={(o: Option<T>) => o.label}
        required={props.required}
        colWidth={12}
      />
    </Form.Row>
  );
}

/** A full-width on/off setting: `label` beside the field, `inlineLabel` beside the box. */
export function CheckboxRow(props: { name: string; label: string; inlineLabel: string }) {
  return (
    <Form.Row>
      <Form.Checkbox name={props.name} label={props.label} inlineLabel={props.inlineLabel} colWidth={12} />
    </Form.Row>
  );
}
